using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.PubSub;

public sealed class TraceContextTests
{
    [Fact]
    public async Task PublishEvent_CallerSendsTraceParent_SubscriberAppIsCalledInTheSameTrace()
    {
        await using var subscriber = await SubscriberApp.StartAsync(("pubsub", "traced"));
        await using var sidecar = await TestSidecar.StartAsync("tracing", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

        await sidecar.Runtime.PublishEventAsync(
            new PublishEventRequest { PubsubName = "pubsub", Topic = "traced" },
            new Metadata { { "traceparent", $"00-{traceId}-00f067aa0ba902b7-01" } });

        await subscriber.WaitForAsync(1, TimeSpan.FromSeconds(10));
        var traceParent = Assert.Single(subscriber.TraceParents);
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-01$", traceParent);
        Assert.DoesNotContain("00f067aa0ba902b7", traceParent, StringComparison.Ordinal);
    }
}
