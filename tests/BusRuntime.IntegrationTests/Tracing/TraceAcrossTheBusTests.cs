using System.Diagnostics;
using BusRuntime.Core.Telemetry;
using BusRuntime.IntegrationTests.Invoke;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Tracing;

/// <summary>
/// A call that arrives in a sampled trace (as a Dapr SDK sends it: a traceparent header) stays one trace
/// across RabbitMQ: the publisher's sidecar, the subscriber's sidecar and the subscriber app; the caller's
/// sidecar, the target's sidecar and the target app, as the sidecars export it. Both sidecars run in this
/// process, so their spans are told apart by the app id tag.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class TraceAcrossTheBusTests(RabbitMqFixture broker)
{
    private const string TraceState = "vendor=abc";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PublishEvent_CallerSendsTraceParent_PublishDeliveryAndCallbackAreOneTrace()
    {
        await using var entities = broker.Track();
        var topic = entities.Topic("traced");
        var billing = RabbitMqFixture.Unique("billing");
        entities.Subscription(billing, topic);
        var shop = RabbitMqFixture.Unique("shop");
        await using var subscriber = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        await using var subscriberSidecar = await TestSidecar.StartAsync(billing, RabbitMqFixture.Settings(), subscriber.Port);
        await using var publisher = await TestSidecar.StartAsync(shop, RabbitMqFixture.Settings());
        await subscriberSidecar.WaitForSubscriptionsAsync(1);
        var (traceId, callerSpan, headers) = CallerTrace();
        using var trace = new TraceRecorder(traceId, subscriberSidecar);

        var published = await publisher.Runtime.PublishEventAsync(
            new PublishEventRequest { PubsubName = RabbitMqFixture.PubsubName, Topic = topic, Data = ByteString.CopyFromUtf8("{}") },
            headers);

        await subscriber.WaitForAsync(1, Timeout);
        var delivery = await trace.WaitForAsync(span => IsRuntimeSpan(span, billing, ActivityKind.Consumer), Timeout);
        var publish = Assert.Single(trace.RuntimeSpans(shop));
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal($"publish {topic}", publish.DisplayName);
        Assert.Equal(published.MessageId, publish.GetTagItem(RuntimeActivities.MessageIdTag));
        Assert.Equal(published.MessageId, delivery.GetTagItem(RuntimeActivities.MessageIdTag));
        Assert.Equal("success", delivery.GetTagItem(RuntimeActivities.OutcomeTag));
        Assert.True(await trace.DescendsAsync(publish.SpanId, callerSpan, Timeout), trace.Describe());
        Assert.True(await trace.DescendsAsync(delivery.SpanId, publish.SpanId, Timeout), trace.Describe());

        // The app's callback is a child of the delivery, and the CloudEvent carries the publisher's context, as Dapr's does.
        var callback = ActivityContext.Parse(Assert.Single(subscriber.TraceParents), null);
        Assert.Equal(traceId, callback.TraceId);
        Assert.True(await trace.DescendsAsync(callback.SpanId, delivery.SpanId, Timeout), trace.Describe());
        Assert.Equal(TraceState, Assert.Single(subscriber.TraceStates));
        var extensions = Assert.Single(subscriber.Received).Extensions.Fields;
        Assert.Equal(publish.Id, extensions["traceparent"].StringValue);
        Assert.Equal(publish.Id, extensions["traceid"].StringValue);
        Assert.Equal(TraceState, extensions["tracestate"].StringValue);
    }

    [Fact]
    public async Task InvokeService_CallerSendsTraceParent_CallerTargetAndTargetAppAreOneTrace()
    {
        await using var entities = broker.Track();
        var billing = entities.InvokedApp("billing");
        var shop = RabbitMqFixture.Unique("shop");
        await using var target = await InvokeReplica.StartAsync(billing);
        await using var caller = await TestSidecar.StartAsync(shop, RabbitMqFixture.Settings());
        var (traceId, callerSpan, headers) = CallerTrace();
        using var trace = new TraceRecorder(traceId, target.Sidecar);

        await caller.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = billing, Method = "invoices/charge", Data = ByteString.CopyFromUtf8("{}"), ContentType = "application/json" },
            headers,
            deadline: DateTime.UtcNow.AddSeconds(30));

        var serve = await trace.WaitForAsync(span => IsRuntimeSpan(span, billing, ActivityKind.Server), Timeout);
        var invoke = await trace.WaitForAsync(span => IsRuntimeSpan(span, shop, ActivityKind.Client), Timeout);
        Assert.Equal(billing, invoke.GetTagItem(RuntimeActivities.PeerServiceTag));
        Assert.Equal("invoices/charge", serve.GetTagItem(RuntimeActivities.RpcMethodTag));
        Assert.Equal(shop, serve.GetTagItem(RuntimeActivities.CallerTag));
        Assert.True(await trace.DescendsAsync(invoke.SpanId, callerSpan, Timeout), trace.Describe());
        Assert.True(await trace.DescendsAsync(serve.SpanId, invoke.SpanId, Timeout), trace.Describe());

        var received = Assert.Single(target.App.Received);
        var call = ActivityContext.Parse(received.Headers["traceparent"], null);
        Assert.Equal(traceId, call.TraceId);
        Assert.True(await trace.DescendsAsync(call.SpanId, serve.SpanId, Timeout), trace.Describe());
        Assert.Equal(TraceState, received.Headers["tracestate"]);
    }

    /// <summary>A sampled trace of the calling app, and the headers a Dapr SDK sends for it.</summary>
    private static (ActivityTraceId TraceId, ActivitySpanId SpanId, Metadata Headers) CallerTrace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();
        return (traceId, spanId, new Metadata { { "traceparent", $"00-{traceId}-{spanId}-01" }, { "tracestate", TraceState } });
    }

    private static bool IsRuntimeSpan(Activity span, string appId, ActivityKind kind) =>
        span.Source.Name == RuntimeActivities.SourceName && span.Kind == kind && Equals(span.GetTagItem(RuntimeActivities.AppIdTag), appId);
}
