using System.Collections.Concurrent;
using BusRuntime.Protos.Dapr.Common.V1;
using BusRuntime.Protos.Dapr.Runtime.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace BusRuntime.Testing;

/// <summary>
/// An app serving Dapr's AppCallback.OnInvoke on a real port. It records every call with its headers and
/// deadline; <see cref="Respond"/> decides each answer (by default it echoes the data and content type).
/// It subscribes to no topic.
/// </summary>
public sealed class InvokeApp : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Callback callback;

    private InvokeApp(WebApplication app, int port, Callback callback)
    {
        this.app = app;
        this.callback = callback;
        Port = port;
        callback.Owner = this;
    }

    public int Port { get; }

    /// <summary>Every call received, in arrival order.</summary>
    public ConcurrentQueue<ReceivedInvocation> Received => callback.Received;

    /// <summary>
    /// Answers a call. It may write response headers and trailers through the context, delay, or throw an
    /// RpcException to act as a failing app.
    /// </summary>
    public Func<InvokeRequest, ServerCallContext, Task<InvokeResponse>> Respond { get; set; } = (request, _) =>
        Task.FromResult(new InvokeResponse { Data = request.Data, ContentType = request.ContentType });

    public static async Task<InvokeApp> StartAsync()
    {
        var callback = new Callback();
        var (app, port) = await GrpcAppHost.StartAsync(callback, grpc => grpc.MaxReceiveMessageSize = null);
        return new InvokeApp(app, port, callback);
    }

    /// <summary>An answer with these bytes.</summary>
    public static InvokeResponse Answer(ByteString data, string contentType) =>
        new() { Data = new Any { Value = data }, ContentType = contentType };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private sealed class Callback : Protos.Dapr.Runtime.V1.AppCallback.AppCallbackBase
    {
        public ConcurrentQueue<ReceivedInvocation> Received { get; } = new();

        public InvokeApp? Owner { get; set; }

        public override Task<ListTopicSubscriptionsResponse> ListTopicSubscriptions(Empty request, ServerCallContext context) =>
            Task.FromResult(new ListTopicSubscriptionsResponse());

        public override Task<InvokeResponse> OnInvoke(InvokeRequest request, ServerCallContext context)
        {
            Received.Enqueue(new ReceivedInvocation(
                request,
                context.RequestHeaders.Where(entry => !entry.IsBinary).GroupBy(entry => entry.Key).ToDictionary(group => group.Key, group => group.Last().Value, StringComparer.Ordinal),
                context.Deadline));
            return Owner!.Respond(request, context);
        }
    }
}
