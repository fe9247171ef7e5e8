using BusRuntime.Core.Errors;
using BusRuntime.Core.Jobs;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using DaprJob = BusRuntime.Protos.Dapr.Runtime.V1.Job;
using DaprPolicy = BusRuntime.Protos.Dapr.Common.V1.JobFailurePolicy;
using DaprPolicyConstant = BusRuntime.Protos.Dapr.Common.V1.JobFailurePolicyConstant;
using DaprPolicyDrop = BusRuntime.Protos.Dapr.Common.V1.JobFailurePolicyDrop;

namespace BusRuntime.Grpc.Jobs;

/// <summary>Dapr's <c>Job</c> ↔ <see cref="Job"/>: the texts as they are, the data as its Any, the failure policy's oneof.</summary>
internal static class DaprJobMapping
{
    // A retry interval of more than this is refused by JobScheduler; larger protobuf durations do not fit a TimeSpan.
    private const long MaxIntervalSeconds = 366L * 24 * 3600;

    public static Job ToJob(DaprJob? job)
    {
        if (job is null)
        {
            throw RuntimeException.InvalidArgument("job is empty; ScheduleJob needs a job with a name and a schedule or due time.");
        }

        return new Job(
            job.Name,
            job.HasSchedule ? job.Schedule : null,
            job.HasRepeats ? job.Repeats : null,
            job.HasDueTime ? job.DueTime : null,
            job.HasTtl ? job.Ttl : null,
            job.Data is { } data ? new JobData(data.TypeUrl, data.Value.Memory) : null,
            ToPolicy(job.FailurePolicy));
    }

    public static DaprJob ToDapr(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var mapped = new DaprJob { Name = job.Name };
        if (job.Schedule is { } schedule)
        {
            mapped.Schedule = schedule;
        }

        if (job.Repeats is { } repeats)
        {
            mapped.Repeats = repeats;
        }

        if (job.DueTime is { } dueTime)
        {
            mapped.DueTime = dueTime;
        }

        if (job.Ttl is { } ttl)
        {
            mapped.Ttl = ttl;
        }

        if (job.Data is { } data)
        {
            mapped.Data = ToAny(data);
        }

        if (job.FailurePolicy is { } policy)
        {
            mapped.FailurePolicy = policy.Drop
                ? new DaprPolicy { Drop = new DaprPolicyDrop() }
                : new DaprPolicy { Constant = Constant(policy) };
        }

        return mapped;
    }

    public static Any ToAny(JobData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new Any { TypeUrl = data.TypeUrl, Value = ByteString.CopyFrom(data.Value.Span) };
    }

    private static DaprPolicyConstant Constant(JobFailurePolicy policy)
    {
        var constant = new DaprPolicyConstant { Interval = Duration.FromTimeSpan(policy.Interval) };
        if (policy.MaxRetries is { } most)
        {
            constant.MaxRetries = most;
        }

        return constant;
    }

    private static JobFailurePolicy? ToPolicy(DaprPolicy? policy) => policy?.PolicyCase switch
    {
        DaprPolicy.PolicyOneofCase.Drop => new JobFailurePolicy(true, TimeSpan.Zero, null),
        DaprPolicy.PolicyOneofCase.Constant => new JobFailurePolicy(
            false,
            Interval(policy.Constant.Interval),
            policy.Constant.HasMaxRetries ? policy.Constant.MaxRetries : null),
        _ => null,
    };

    private static TimeSpan Interval(Duration? interval) => interval switch
    {
        null => TimeSpan.Zero,
        { Seconds: < 0 or > MaxIntervalSeconds } or { Nanos: < 0 or > 999_999_999 } => throw RuntimeException.InvalidArgument(
            $"failure_policy.constant.interval is {interval.Seconds}s {interval.Nanos}ns; an interval is between 0 and {MaxIntervalSeconds}s with nanos between 0 and 999999999."),
        _ => interval.ToTimeSpan(),
    };
}
