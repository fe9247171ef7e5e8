using System.Collections.Concurrent;
using BusRuntime.Testing;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using DaprAppCallback = Dapr.AppCallback.Autogen.Grpc.v1.AppCallback;

namespace BusRuntime.CompatibilityTests.Fixtures;

/// <summary>
/// A gRPC app on Dapr's generated <c>AppCallback.AppCallbackBase</c> that takes input bindings: it lists the bindings it
/// was given in ListInputBindings, records every OnBindingEvent and answers it with <see cref="Respond"/> (OK unless set).
/// </summary>
public sealed class DaprBindingApp : DaprAppCallback.AppCallbackBase, IAsyncDisposable
{
    private readonly string[] bindings;
    private WebApplication? host;
    private int listed;

    private DaprBindingApp(string[] bindings) => this.bindings = bindings;

    public int Port { get; private set; }

    /// <summary>How many times the sidecar asked ListInputBindings.</summary>
    public int Listed => Volatile.Read(ref listed);

    /// <summary>Every binding event received, in arrival order.</summary>
    public ConcurrentQueue<BindingEventRequest> Events { get; } = new();

    /// <summary>Answers an event; may throw an RpcException to act as an app that failed.</summary>
    public Func<BindingEventRequest, Task<BindingEventResponse>> Respond { get; set; } = _ => Task.FromResult(new BindingEventResponse());

    public static async Task<DaprBindingApp> StartAsync(params string[] bindings)
    {
        var app = new DaprBindingApp(bindings);
        (app.host, app.Port) = await GrpcAppHost.StartAsync(app);
        return app;
    }

    /// <summary>Waits until at least <paramref name="count"/> events have arrived, or fails after <paramref name="timeout"/>.</summary>
    public async Task WaitForEventsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Events.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Events.Count} binding events arrived, expected {count}.");
            }

            await Task.Delay(20);
        }
    }

    public override Task<ListInputBindingsResponse> ListInputBindings(Empty request, ServerCallContext context)
    {
        Interlocked.Increment(ref listed);
        var response = new ListInputBindingsResponse();
        response.Bindings.AddRange(bindings);
        return Task.FromResult(response);
    }

    public override Task<BindingEventResponse> OnBindingEvent(BindingEventRequest request, ServerCallContext context)
    {
        Events.Enqueue(request);
        return Respond(request);
    }

    public override Task<ListTopicSubscriptionsResponse> ListTopicSubscriptions(Empty request, ServerCallContext context) =>
        Task.FromResult(new ListTopicSubscriptionsResponse());

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
    }
}
