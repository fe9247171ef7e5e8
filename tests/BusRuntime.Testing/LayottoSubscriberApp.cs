using System.Collections.Concurrent;
using BusRuntime.Protos.Layotto.Runtime.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace BusRuntime.Testing;

/// <summary>
/// An app serving Layotto's AppCallback (spec.proto.runtime.v1) on a real port, as an app generated from Layotto's
/// protos does: it lists the topics it was given and records every event it receives. <see cref="Respond"/> decides
/// each answer (SUCCESS by default).
/// </summary>
public sealed class LayottoSubscriberApp : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Callback callback;

    private LayottoSubscriberApp(WebApplication app, int port, Callback callback)
    {
        this.app = app;
        this.callback = callback;
        Port = port;
        callback.Owner = this;
    }

    public int Port { get; }

    /// <summary>Every event received, in arrival order, including redeliveries.</summary>
    public ConcurrentQueue<TopicEventRequest> Received => callback.Received;

    /// <summary>How many times the sidecar asked for the app's subscriptions.</summary>
    public int Listed => callback.Listed;

    /// <summary>Answers an event; may throw an RpcException to act as a failing app.</summary>
    public Func<TopicEventRequest, TopicEventResponse.Types.TopicEventResponseStatus> Respond { get; set; } =
        _ => TopicEventResponse.Types.TopicEventResponseStatus.Success;

    public static async Task<LayottoSubscriberApp> StartAsync(params (string PubsubName, string Topic)[] topics)
    {
        var callback = new Callback(topics);
        var (app, port) = await GrpcAppHost.StartAsync(callback);
        return new LayottoSubscriberApp(app, port, callback);
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

    private sealed class Callback((string PubsubName, string Topic)[] topics) : Protos.Layotto.Runtime.V1.AppCallback.AppCallbackBase
    {
        private int listed;

        public ConcurrentQueue<TopicEventRequest> Received { get; } = new();

        public int Listed => Volatile.Read(ref listed);

        public LayottoSubscriberApp? Owner { get; set; }

        public override Task<ListTopicSubscriptionsResponse> ListTopicSubscriptions(Empty request, ServerCallContext context)
        {
            Interlocked.Increment(ref listed);
            var response = new ListTopicSubscriptionsResponse();
            response.Subscriptions.AddRange(topics.Select(topic => new TopicSubscription { PubsubName = topic.PubsubName, Topic = topic.Topic }));
            return Task.FromResult(response);
        }

        public override Task<TopicEventResponse> OnTopicEvent(TopicEventRequest request, ServerCallContext context)
        {
            Received.Enqueue(request);
            return Task.FromResult(new TopicEventResponse { Status = Owner!.Respond(request) });
        }
    }
}
