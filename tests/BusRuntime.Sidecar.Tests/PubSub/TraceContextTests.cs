using System.Diagnostics;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.PubSub;

public sealed class TraceContextTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string CallerSpan = "00f067aa0ba902b7";
    private const string TraceParent = $"00-{TraceId}-{CallerSpan}-01";

    [Fact]
    public async Task PublishEvent_CallerSendsTraceParent_SubscriberAppIsCalledInTheSameTrace()
    {
        await using var subscriber = await SubscriberApp.StartAsync(("pubsub", "traced"));
        await using var sidecar = await TestSidecar.StartAsync("tracing", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        await sidecar.Runtime.PublishEventAsync(
            new PublishEventRequest { PubsubName = "pubsub", Topic = "traced" },
            new Metadata { { "traceparent", TraceParent } });

        await subscriber.WaitForAsync(1, TimeSpan.FromSeconds(10));
        var traceParent = Assert.Single(subscriber.TraceParents);
        Assert.Matches($"^00-{TraceId}-[0-9a-f]{{16}}-01$", traceParent);
        Assert.DoesNotContain(CallerSpan, traceParent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DaprHttpPublish_CallerSendsTraceParentAndTraceState_SubscriberGetsBothInMetadataAndCloudEvent()
    {
        await using var subscriber = await SubscriberApp.StartAsync(("pubsub", "traced-http"));
        await using var sidecar = await TestSidecar.StartAsync("tracing-http", appPort: subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1.0/publish/pubsub/traced-http", UriKind.Relative))
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", TraceParent);
        request.Headers.Add("tracestate", "vendor=abc");

        using var response = await sidecar.Http.SendAsync(request);

        response.EnsureSuccessStatusCode();
        await subscriber.WaitForAsync(1, TimeSpan.FromSeconds(10));
        Assert.Equal(ActivityTraceId.CreateFromString(TraceId), ActivityContext.Parse(Assert.Single(subscriber.TraceParents), null).TraceId);
        Assert.Equal("vendor=abc", Assert.Single(subscriber.TraceStates));
        var extensions = Assert.Single(subscriber.Received).Extensions.Fields;
        var publisher = ActivityContext.Parse(extensions["traceparent"].StringValue, null);
        Assert.Equal(ActivityTraceId.CreateFromString(TraceId), publisher.TraceId);
        Assert.NotEqual(ActivitySpanId.CreateFromString(CallerSpan), publisher.SpanId);
        Assert.Equal(extensions["traceparent"].StringValue, extensions["traceid"].StringValue);
        Assert.Equal("vendor=abc", extensions["tracestate"].StringValue);
    }

    [Fact]
    public async Task SubscribeTopicEvents_PublishInATrace_TheStreamedEventCarriesThePublishersTraceParent()
    {
        await using var sidecar = await TestSidecar.StartAsync("tracing-stream");
        using var call = sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = "traced-stream" } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        await sidecar.Runtime.PublishEventAsync(
            new PublishEventRequest { PubsubName = "pubsub", Topic = "traced-stream", Metadata = { ["priority"] = "high" } },
            new Metadata { { "traceparent", TraceParent } });

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var delivered = call.ResponseStream.Current.EventMessage;
        Assert.Matches($"^00-{TraceId}-[0-9a-f]{{16}}-01$", delivered.Extensions.Fields["traceparent"].StringValue);
        Assert.Equal("high", delivered.Extensions.Fields["priority"].StringValue);
        Assert.False(delivered.Extensions.Fields.ContainsKey("tracestate"));
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = delivered.Id } });
        await call.RequestStream.CompleteAsync();
    }
}
