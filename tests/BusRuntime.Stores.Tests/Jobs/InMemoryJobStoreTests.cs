using BusRuntime.Core.Jobs;
using BusRuntime.Stores.InMemory.Jobs;

namespace BusRuntime.Stores.Tests.Jobs;

public sealed class InMemoryJobStoreTests : JobStoreBehaviour
{
    protected override IJobStore CreateStore() => new InMemoryJobStore();
}
