using BusRuntime.Core.Transport;
using MassTransit;

namespace BusRuntime.Core.Tests.Transport;

public sealed class AppTemporaryEndpointTests
{
    [Fact]
    public void GetEndpointName_IsUnderTheAppsPrefixWithTheTagAndUnguessable()
    {
        var first = new AppTemporaryEndpoint("shop", "config");
        var second = new AppTemporaryEndpoint("shop", "config");

        var name = first.GetEndpointName(DefaultEndpointNameFormatter.Instance);

        Assert.Matches("^busruntime\\.app\\.shop\\.config-[0-9a-f]{32}$", name);
        Assert.Equal(name, first.GetEndpointName(DefaultEndpointNameFormatter.Instance));
        Assert.NotEqual(name, second.GetEndpointName(DefaultEndpointNameFormatter.Instance));
        Assert.True(first.IsTemporary);
    }
}
