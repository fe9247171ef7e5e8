using System.Diagnostics;
using BusRuntime.Core.Telemetry;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Tracing;

/// <summary>Without an exporter, a call that arrives in no sampled trace costs the runtime no span, not even an unrecorded one.</summary>
[Collection(TracingCollection.Name)]
public sealed class UntracedCallsTests
{
    [Fact]
    public async Task PublishDeliveryAndStoreCall_NoTraceParent_StartNoRuntimeSpan()
    {
        var started = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RuntimeActivities.SourceName,
            ActivityStarted = _ => Interlocked.Increment(ref started),
        };
        ActivitySource.AddActivityListener(listener);
        await using var sidecar = await TestSidecar.StartAsync("untraced");
        using var call = sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = "untraced" } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        await PublishAndDeliverAsync(sidecar, call, new Metadata());
        await sidecar.Runtime.SaveStateAsync(new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = "k", Value = ByteString.CopyFromUtf8("v") } } });

        Assert.Equal(0, Volatile.Read(ref started));
        // The same calls in a sampled trace do start spans: the count above could have been other than 0.
        await PublishAndDeliverAsync(sidecar, call, new Metadata { { "traceparent", $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01" } });
        Assert.True(Volatile.Read(ref started) >= 2);
        await call.RequestStream.CompleteAsync();
    }

    private static async Task PublishAndDeliverAsync(TestSidecar sidecar, AsyncDuplexStreamingCall<SubscribeTopicEventsRequest, SubscribeTopicEventsResponse> call, Metadata headers)
    {
        await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "untraced" }, headers);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = call.ResponseStream.Current.EventMessage.Id } });
    }
}
