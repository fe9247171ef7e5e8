using BusRuntime.Protos.Dapr.Common.V1;
using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Sidecar.Tests.Dapr;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Jobs;

/// <summary>Dapr's jobs rpcs on a sidecar without an app: jobs are kept, read, listed and deleted, and refused as Dapr refuses them.</summary>
public sealed class DaprJobsApiTests(DaprSidecar fixture) : IClassFixture<DaprSidecar>
{
    private Protos.Dapr.Runtime.V1.Dapr.DaprClient Dapr => fixture.Client;

    [Fact]
    public async Task ScheduleJobThenGetJob_EveryField_AnsweredAsScheduled()
    {
        var name = DaprSidecar.Key("report");
        var job = new Job
        {
            Name = name,
            Schedule = "0 30 3 * * *",
            Repeats = 7,
            DueTime = "2099-01-01T00:00:00Z",
            Ttl = "2100-01-01T00:00:00Z",
            Data = Any.Pack(new StringValue { Value = "quarterly" }),
            FailurePolicy = new JobFailurePolicy { Constant = new JobFailurePolicyConstant { Interval = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)), MaxRetries = 2 } },
        };

        await Dapr.ScheduleJobAsync(new ScheduleJobRequest { Job = job });
        var read = (await Dapr.GetJobAsync(new GetJobRequest { Name = name })).Job;
        var alpha = (await Dapr.GetJobAlpha1Async(new GetJobRequest { Name = name })).Job;

        Assert.Equal(job, read);
        Assert.Equal(job, alpha);
        Assert.Equal("quarterly", read.Data.Unpack<StringValue>().Value);
    }

    [Fact]
    public async Task ScheduleJob_ExistingNameWithoutOverwrite_AlreadyExistsThenOverwriteReplaces()
    {
        var name = DaprSidecar.Key("dup");
        await Dapr.ScheduleJobAlpha1Async(new ScheduleJobRequest { Job = new Job { Name = name, Schedule = "@every 1h" } });

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Dapr.ScheduleJobAsync(new ScheduleJobRequest { Job = new Job { Name = name, Schedule = "@every 2h" } }));
        await Dapr.ScheduleJobAsync(new ScheduleJobRequest { Job = new Job { Name = name, Schedule = "@every 3h" }, Overwrite = true });

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Contains(name, error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("@every 3h", (await Dapr.GetJobAsync(new GetJobRequest { Name = name })).Job.Schedule);
    }

    [Fact]
    public async Task DeleteJobAndDeleteJobsByPrefixAndListJobs_OnlyTheNamedJobsGo()
    {
        var prefix = DaprSidecar.Key("batch") + "-";
        foreach (var suffix in new[] { "a", "b", "c" })
        {
            await Dapr.ScheduleJobAsync(new ScheduleJobRequest { Job = new Job { Name = prefix + suffix, DueTime = "1h" } });
        }

        await Dapr.DeleteJobAsync(new DeleteJobRequest { Name = prefix + "a" });
        var afterDelete = (await Dapr.ListJobsAsync(new ListJobsRequest())).Jobs.Select(job => job.Name).Where(name => name.StartsWith(prefix, StringComparison.Ordinal));
        await Dapr.DeleteJobsByPrefixAsync(new DeleteJobsByPrefixRequest { NamePrefix = prefix });
        var afterPrefix = (await Dapr.ListJobsAlpha1Async(new ListJobsRequestAlpha1())).Jobs.Select(job => job.Name).Where(name => name.StartsWith(prefix, StringComparison.Ordinal));
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.GetJobAsync(new GetJobRequest { Name = prefix + "b" }));

        Assert.Equal([prefix + "b", prefix + "c"], afterDelete);
        Assert.Empty(afterPrefix);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        await Dapr.DeleteJobAsync(new DeleteJobRequest { Name = prefix + "a" });
    }

    [Theory]
    [InlineData("", "@every 1s", null, "name is empty")]
    [InlineData("n", null, null, "neither a schedule nor a due time")]
    [InlineData("n", "@every never", null, "schedule '@every never'")]
    [InlineData("n", "1 2 3", null, "has 3 fields")]
    [InlineData("n", null, "yesterday", "dueTime 'yesterday' is not a point in time")]
    [InlineData("a/b", "@every 1s", null, "is not a job name")]
    public async Task ScheduleJob_NotValid_InvalidArgumentNamingTheField(string name, string? schedule, string? dueTime, string expected)
    {
        var job = new Job { Name = name };
        if (schedule is not null)
        {
            job.Schedule = schedule;
        }

        if (dueTime is not null)
        {
            job.DueTime = dueTime;
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.ScheduleJobAsync(new ScheduleJobRequest { Job = job }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScheduleJob_NoJob_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.ScheduleJobAsync(new ScheduleJobRequest()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("job is empty", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScheduleJob_DataOverMaxPayloadBytes_InvalidArgument()
    {
        var job = new Job { Name = DaprSidecar.Key("big"), DueTime = "1h", Data = Any.Pack(new BytesValue { Value = Google.Protobuf.ByteString.CopyFrom(new byte[1100]) }) };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.ScheduleJobAsync(new ScheduleJobRequest { Job = job }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("BusRuntime:MaxPayloadBytes", error.Status.Detail, StringComparison.Ordinal);
    }
}
