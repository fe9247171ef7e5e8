using System.Collections.Concurrent;
using BusRuntime.Protos.Dapr.Runtime.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace BusRuntime.Testing;

/// <summary>
/// An app serving Dapr's AppCallback on a real port: it lists the topics it was given and records every
/// event it receives. <see cref="Respond"/> decides each answer (SUCCESS by default).
/// </summary>
public sealed class SubscriberApp : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Callback callback;

    private SubscriberApp(WebApplication app, int port, Callback callback)
    {
        this.app = app;
        this.callback = callback;
        Port = port;
        Received = callback.Received;
        callback.Owner = this;
    }

    public int Port { get; }

    /// <summary>Every event received, in arrival order, including redeliveries.</summary>
    public ConcurrentQueue<TopicEventRequest> Received { get; }

    /// <summary>The W3C traceparent header of every OnTopicEvent call, in arrival order ("" when absent).</summary>
    public ConcurrentQueue<string> TraceParents => callback.TraceParents;

    /// <summary>The W3C tracestate header of every OnTopicEvent call, in arrival order ("" when absent).</summary>
    public ConcurrentQueue<string> TraceStates => callback.TraceStates;

    /// <summary>Every bulk delivery received (OnBulkTopicEvent), in arrival order.</summary>
    public ConcurrentQueue<TopicEventBulkRequest> BulkReceived => callback.BulkReceived;

    /// <summary>Answers an entry of a bulk delivery (SUCCESS by default); null leaves it unanswered.</summary>
    public Func<TopicEventBulkRequestEntry, TopicEventResponse.Types.TopicEventResponseStatus?> RespondBulk { get; set; } =
        _ => TopicEventResponse.Types.TopicEventResponseStatus.Success;

    /// <summary>Answers an event; may throw an RpcException to act as a failing app.</summary>
    public Func<TopicEventRequest, TopicEventResponse.Types.TopicEventResponseStatus> Respond { get; set; } =
        _ => TopicEventResponse.Types.TopicEventResponseStatus.Success;

    public static Task<SubscriberApp> StartAsync(params (string PubsubName, string Topic)[] topics) =>
        ListingAsync(topics.Select(topic => new TopicSubscription { PubsubName = topic.PubsubName, Topic = topic.Topic }).ToArray());

    /// <summary>An app that lists these subscriptions as they are (routes, dead-letter topic, bulk subscribe).</summary>
    public static async Task<SubscriberApp> ListingAsync(params TopicSubscription[] subscriptions)
    {
        var callback = new Callback(subscriptions);
        var (app, port) = await GrpcAppHost.StartAsync(callback);
        return new SubscriberApp(app, port, callback);
    }

    /// <summary>Waits until at least <paramref name="count"/> events have arrived, or fails after <paramref name="timeout"/>.</summary>
    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Received.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Received.Count} events arrived, expected {count}.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private sealed class Callback(TopicSubscription[] subscriptions) : Protos.Dapr.Runtime.V1.AppCallback.AppCallbackBase
    {
        public ConcurrentQueue<TopicEventRequest> Received { get; } = new();

        public ConcurrentQueue<string> TraceParents { get; } = new();

        public ConcurrentQueue<string> TraceStates { get; } = new();

        public SubscriberApp? Owner { get; set; }

        public override Task<ListTopicSubscriptionsResponse> ListTopicSubscriptions(Empty request, ServerCallContext context)
        {
            var response = new ListTopicSubscriptionsResponse();
            response.Subscriptions.AddRange(subscriptions);
            return Task.FromResult(response);
        }

        public ConcurrentQueue<TopicEventBulkRequest> BulkReceived { get; } = new();

        public override Task<TopicEventBulkResponse> OnBulkTopicEvent(TopicEventBulkRequest request, ServerCallContext context)
        {
            BulkReceived.Enqueue(request);
            var response = new TopicEventBulkResponse();
            foreach (var entry in request.Entries)
            {
                if (Owner!.RespondBulk(entry) is { } status)
                {
                    response.Statuses.Add(new TopicEventBulkResponseEntry { EntryId = entry.EntryId, Status = status });
                }
            }

            return Task.FromResult(response);
        }

        public override Task<TopicEventResponse> OnTopicEvent(TopicEventRequest request, ServerCallContext context)
        {
            TraceParents.Enqueue(context.RequestHeaders.GetValue("traceparent") ?? "");
            TraceStates.Enqueue(context.RequestHeaders.GetValue("tracestate") ?? "");
            Received.Enqueue(request);
            var status = Owner!.Respond(request);
            return Task.FromResult(new TopicEventResponse { Status = status });
        }
    }
}
