using System.Collections.Concurrent;
using BusRuntime.Testing;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;

namespace BusRuntime.CompatibilityTests.Fixtures;

/// <summary>
/// An app written on Dapr's generated AppCallbackAlpha that takes every job tick it gets, recording it in
/// <see cref="Received"/> (a queue replicas of one app may share), and lists no topic.
/// </summary>
public sealed class DaprJobApp(ConcurrentQueue<JobEventRequest> received) : AppCallbackAlpha.AppCallbackAlphaBase
{
    public DaprJobApp()
        : this(new ConcurrentQueue<JobEventRequest>())
    {
    }

    public ConcurrentQueue<JobEventRequest> Received => received;

    /// <summary>Serves the app on a free port of its own.</summary>
    public Task<(WebApplication App, int Port)> StartAsync() => GrpcAppHost.StartAsync(this, new NoSubscriptions());

    public override Task<JobEventResponse> OnJobEventAlpha1(JobEventRequest request, ServerCallContext context)
    {
        received.Enqueue(request);
        return Task.FromResult(new JobEventResponse());
    }

    private sealed class NoSubscriptions : Dapr.AppCallback.Autogen.Grpc.v1.AppCallback.AppCallbackBase
    {
        public override Task<ListTopicSubscriptionsResponse> ListTopicSubscriptions(Empty request, ServerCallContext context) =>
            Task.FromResult(new ListTopicSubscriptionsResponse());
    }
}
