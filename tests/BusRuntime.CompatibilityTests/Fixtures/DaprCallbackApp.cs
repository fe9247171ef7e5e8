using System.Collections.Concurrent;
using BusRuntime.Testing;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using DaprAppCallback = Dapr.AppCallback.Autogen.Grpc.v1.AppCallback;

namespace BusRuntime.CompatibilityTests.Fixtures;

/// <summary>
/// An app written as a .NET Dapr user writes one: a gRPC server derived from Dapr's own generated
/// <c>AppCallback.AppCallbackBase</c> (Dapr.Protos), so the sidecar's calls back are proven against Dapr's types,
/// not the repository's copy of the proto. It subscribes to the topics it was given, records every event and
/// call, answers events SUCCESS and calls with <see cref="Respond"/> (by default an echo).
/// </summary>
public sealed class DaprCallbackApp : DaprAppCallback.AppCallbackBase, IAsyncDisposable
{
    private readonly (string PubsubName, string Topic)[] topics;
    private WebApplication? host;

    private DaprCallbackApp((string PubsubName, string Topic)[] topics) => this.topics = topics;

    public int Port { get; private set; }

    /// <summary>Every event received, in arrival order.</summary>
    public ConcurrentQueue<TopicEventRequest> Events { get; } = new();

    /// <summary>Every OnInvoke call received, in arrival order, with its text headers.</summary>
    public ConcurrentQueue<(InvokeRequest Request, IReadOnlyDictionary<string, string> Headers)> Invocations { get; } = new();

    /// <summary>Answers a call; may throw an RpcException to act as a failing app.</summary>
    public Func<InvokeRequest, Task<InvokeResponse>> Respond { get; set; } = request =>
        Task.FromResult(new InvokeResponse { Data = request.Data, ContentType = request.ContentType });

    public static async Task<DaprCallbackApp> StartAsync(params (string PubsubName, string Topic)[] topics)
    {
        var app = new DaprCallbackApp(topics);
        (app.host, app.Port) = await GrpcAppHost.StartAsync(app, grpc => grpc.MaxReceiveMessageSize = null);
        return app;
    }

    /// <summary>An answer with these bytes.</summary>
    public static InvokeResponse Answer(ByteString data, string contentType) =>
        new() { Data = new Any { Value = data }, ContentType = contentType };

    /// <summary>Waits until at least <paramref name="count"/> events have arrived, or fails after <paramref name="timeout"/>.</summary>
    public async Task WaitForEventsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Events.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Events.Count} events arrived, expected {count}.");
            }

            await Task.Delay(20);
        }
    }

    public override Task<ListTopicSubscriptionsResponse> ListTopicSubscriptions(Empty request, ServerCallContext context)
    {
        var response = new ListTopicSubscriptionsResponse();
        response.Subscriptions.AddRange(topics.Select(topic => new TopicSubscription { PubsubName = topic.PubsubName, Topic = topic.Topic }));
        return Task.FromResult(response);
    }

    public override Task<TopicEventResponse> OnTopicEvent(TopicEventRequest request, ServerCallContext context)
    {
        Events.Enqueue(request);
        return Task.FromResult(new TopicEventResponse { Status = TopicEventResponse.Types.TopicEventResponseStatus.Success });
    }

    public override Task<InvokeResponse> OnInvoke(InvokeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.RequestHeaders
            .Where(entry => !entry.IsBinary)
            .GroupBy(entry => entry.Key)
            .ToDictionary(group => group.Key, group => group.Last().Value, StringComparer.Ordinal);
        Invocations.Enqueue((request, headers));
        return Respond(request);
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
    }
}
