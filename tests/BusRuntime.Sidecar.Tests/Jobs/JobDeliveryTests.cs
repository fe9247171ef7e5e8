using System.Collections.Concurrent;
using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Sidecar.Tests.Dapr;
using BusRuntime.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Jobs;

/// <summary>Jobs fired to the gRPC app of the sidecar that scheduled them, as daprd fires them (OnJobEventAlpha1).</summary>
public sealed class JobDeliveryTests
{
    [Fact]
    public async Task ScheduleJob_EveryOneSecondRepeatsTwo_TheAppGetsTwoTicksWithTheDataThenTheJobIsGone()
    {
        var jobs = new JobCallback();
        var (app, port) = await GrpcAppHost.StartAsync(jobs, new EmptyCallback());
        await using var _ = app;
        await using var sidecar = await TestSidecar.StartAsync("jobs-app", appPort: port);
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using var __ = channel;

        await dapr.ScheduleJobAsync(new ScheduleJobRequest
        {
            Job = new Job { Name = "tick", Schedule = "@every 1s", Repeats = 2, Data = Any.Pack(new StringValue { Value = "payload" }) },
        });

        await Poll.UntilAsync(() => jobs.Received.Count >= 2, TimeSpan.FromSeconds(10), () => $"{jobs.Received.Count} ticks arrived");
        await Poll.UntilAsync(
            async () => (await dapr.ListJobsAsync(new ListJobsRequest())).Jobs.Count == 0,
            TimeSpan.FromSeconds(5),
            () => "the job is still listed after its two ticks");
        Assert.Equal(2, jobs.Received.Count);
        Assert.All(jobs.Received, tick =>
        {
            Assert.Equal(("tick", "job/tick", "type.googleapis.com/google.protobuf.StringValue"), (tick.Name, tick.Method, tick.ContentType));
            Assert.Equal(Protos.Dapr.Common.V1.HTTPExtension.Types.Verb.Post, tick.HttpExtension.Verb);
            Assert.Equal("payload", tick.Data.Unpack<StringValue>().Value);
        });
    }

    [Fact]
    public async Task ScheduleJob_AppFailsOnce_TheTickIsTriedAgainASecondLater()
    {
        var jobs = new JobCallback { FailFirst = 1 };
        var (app, port) = await GrpcAppHost.StartAsync(jobs, new EmptyCallback());
        await using var _ = app;
        await using var sidecar = await TestSidecar.StartAsync("jobs-retry", appPort: port);
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using var __ = channel;

        await dapr.ScheduleJobAsync(new ScheduleJobRequest { Job = new Job { Name = "once", DueTime = "0s" } });

        await Poll.UntilAsync(() => jobs.Received.Count >= 2, TimeSpan.FromSeconds(10), () => $"{jobs.Received.Count} tries arrived");
        await Poll.UntilAsync(
            async () => (await dapr.ListJobsAsync(new ListJobsRequest())).Jobs.Count == 0,
            TimeSpan.FromSeconds(5),
            () => "the job is still listed after its tick was taken");
        Assert.Equal(2, jobs.Received.Count);
    }

    private sealed class JobCallback : AppCallbackAlpha.AppCallbackAlphaBase
    {
        private int calls;

        public ConcurrentQueue<JobEventRequest> Received { get; } = new();

        public int FailFirst { get; init; }

        [Obsolete("Dapr deprecates OnJobEventAlpha1; it is what daprd 1.18's published protos call.")]
        public override Task<JobEventResponse> OnJobEventAlpha1(JobEventRequest request, ServerCallContext context)
        {
            Received.Enqueue(request);
            return Interlocked.Increment(ref calls) <= FailFirst
                ? throw new RpcException(new Status(StatusCode.Unavailable, "not yet"))
                : Task.FromResult(new JobEventResponse());
        }
    }

    private sealed class EmptyCallback : Protos.Dapr.Runtime.V1.AppCallback.AppCallbackBase
    {
        public override Task<ListTopicSubscriptionsResponse> ListTopicSubscriptions(Empty request, ServerCallContext context) =>
            Task.FromResult(new ListTopicSubscriptionsResponse());
    }
}
