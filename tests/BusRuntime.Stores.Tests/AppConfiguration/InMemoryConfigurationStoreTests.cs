using BusRuntime.Core.AppConfiguration;
using BusRuntime.Stores.InMemory.AppConfiguration;

namespace BusRuntime.Stores.Tests.AppConfiguration;

public sealed class InMemoryConfigurationStoreTests : ConfigurationStoreBehaviour
{
    protected override IConfigurationStore CreateStore(string name) => new InMemoryConfigurationStore();

    [Fact]
    public void IsShared_InMemory_IsFalse() => Assert.False(Store.IsShared);
}
