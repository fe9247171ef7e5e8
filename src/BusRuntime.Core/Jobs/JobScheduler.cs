using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Jobs;

/// <summary>
/// The jobs primitive (Dapr's jobs API): checks what an app asks and keeps its jobs, under its app id, in the
/// <see cref="IJobStore"/>; <see cref="JobRunner"/> fires them. Bounds: a name of at most <see cref="MaxNameLength"/>
/// characters from <see cref="NameCharacters"/>, data of at most BusRuntime:MaxPayloadBytes,
/// BusRuntime:Jobs:MaxJobsPerApp jobs per app, a failure policy's interval of at most a day.
/// </summary>
public sealed class JobScheduler(IJobStore store, IOptions<RuntimeOptions> runtime, IOptions<JobOptions> options, TimeProvider timeProvider, JobWakeup wakeup)
{
    /// <summary>The longest job name.</summary>
    public const int MaxNameLength = 256;

    /// <summary>The characters a job name may have besides ASCII letters and digits: those a URL path carries as they are.</summary>
    public const string NameCharacters = "-._~:@|";

    private static readonly TimeSpan MaxRetryInterval = TimeSpan.FromDays(1);

    private string AppId => runtime.Value.AppId;

    public async Task ScheduleAsync(Job job, bool overwrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        EnsureName(job.Name, "name");
        if (job.Data is { } data && data.Value.Length > runtime.Value.MaxPayloadBytes)
        {
            throw RuntimeException.InvalidArgument($"job {Quoted.Of(job.Name)}: data is {data.Value.Length} bytes; a job carries at most {runtime.Value.MaxPayloadBytes} (BusRuntime:MaxPayloadBytes).");
        }

        if (job.Data is { TypeUrl.Length: > MaxNameLength })
        {
            throw RuntimeException.InvalidArgument($"job {Quoted.Of(job.Name)}: the data's type URL is {job.Data.TypeUrl.Length} characters long; at most {MaxNameLength}.");
        }

        if (job.FailurePolicy is { Drop: false, Interval: var interval } && (interval < TimeSpan.Zero || interval > MaxRetryInterval))
        {
            throw RuntimeException.InvalidArgument($"job {Quoted.Of(job.Name)}: the failure policy's interval is {interval}; it is between 0 and {MaxRetryInterval.TotalHours:0}h.");
        }

        // Whole microseconds, as PostgreSQL keeps times, so that a job's times are the same in every store.
        var clock = timeProvider.GetUtcNow();
        var now = new DateTimeOffset(clock.UtcTicks - (clock.UtcTicks % 10), TimeSpan.Zero);
        var timeline = JobTimeline.Of(job, now);
        var stored = new StoredJob(AppId, job, now, timeline.First, timeline.First, 0, 0, Guid.NewGuid());
        var result = await store.PutAsync(stored, overwrite, options.Value.MaxJobsPerApp, cancellationToken).ConfigureAwait(false);
        switch (result)
        {
            case JobPutResult.AlreadyExists:
                throw new RuntimeException(ErrorCode.AlreadyExists, $"job {Quoted.Of(job.Name)} already exists; schedule it with overwrite set to replace it.");
            case JobPutResult.TooMany:
                throw RuntimeException.ResourceExhausted($"app {Quoted.Of(AppId)} has {options.Value.MaxJobsPerApp} jobs, as many as it may have (BusRuntime:Jobs:MaxJobsPerApp); delete some first.");
            default:
                wakeup.Expect(stored.DueAt);
                wakeup.Signal();
                break;
        }
    }

    public async Task<Job> GetAsync(string name, CancellationToken cancellationToken)
    {
        EnsureName(name, "name");
        var stored = await store.GetAsync(AppId, name, cancellationToken).ConfigureAwait(false);
        return stored?.Job ?? throw RuntimeException.NotFound($"job not found: {Quoted.Of(name)}.");
    }

    /// <summary>Deletes the job; as Dapr's scheduler, deleting one that does not exist succeeds.</summary>
    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        EnsureName(name, "name");
        return store.DeleteAsync(AppId, name, cancellationToken);
    }

    /// <summary>Deletes the app's jobs whose names start with <paramref name="prefix"/>, all of them when it is empty.</summary>
    public Task<int> DeleteByPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > MaxNameLength)
        {
            throw RuntimeException.InvalidArgument($"name_prefix is {prefix.Length} characters long; a job name is at most {MaxNameLength}.");
        }

        return store.DeleteByPrefixAsync(AppId, prefix, cancellationToken);
    }

    /// <summary>The app's jobs, by name.</summary>
    public async Task<IReadOnlyList<Job>> ListAsync(CancellationToken cancellationToken)
    {
        var jobs = await store.ListAsync(AppId, options.Value.MaxJobsPerApp, cancellationToken).ConfigureAwait(false);
        return [.. jobs.Select(stored => stored.Job)];
    }

    private static void EnsureName(string name, string field)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw RuntimeException.InvalidArgument($"{field} is empty; a job needs a name.");
        }

        if (name.Length > MaxNameLength)
        {
            throw RuntimeException.InvalidArgument($"{field} {Quoted.Of(name)} is {name.Length} characters long; a job name is at most {MaxNameLength}.");
        }

        if (!name.All(character => char.IsAsciiLetterOrDigit(character) || NameCharacters.Contains(character, StringComparison.Ordinal)))
        {
            throw RuntimeException.InvalidArgument($"{field} {Quoted.Of(name)} is not a job name: it has ASCII letters, digits and '{NameCharacters}' only.");
        }
    }
}
