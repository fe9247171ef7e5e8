using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Jobs;

/// <summary>
/// The due-job loop of a sidecar with an app: claims its app's due jobs in the store (so that a tick goes to one replica
/// however many the app runs with), hands each tick to one sidecar of the app (<see cref="IJobDelivery"/>: a bus message),
/// and stores the job's next tick, or deletes the job when it is done. A tick the app does not take is tried again as the job's failure
/// policy says (Dapr's default: three more tries, a second apart) and then dropped, which counts as a tick. A sidecar that
/// stops while it holds a claim leaves the tick to whichever replica claims it when the lease ends. Ticks missed while no
/// sidecar of the app ran are not delivered one by one: the job goes on from its first tick after now.
/// </summary>
public sealed class JobRunner(
    IJobStore store,
    IJobDelivery delivery,
    IOptions<RuntimeOptions> runtime,
    IOptions<AppChannelOptions> appChannel,
    IOptions<JobOptions> options,
    TimeProvider timeProvider,
    JobWakeup wakeup,
    ILogger<JobRunner> logger) : BackgroundService
{
    /// <summary>The most jobs claimed at once; their ticks are delivered together.</summary>
    public const int BatchSize = 64;

    private static readonly TimeSpan FailurePause = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (appChannel.Value.AppPort == 0)
        {
            Log.JobsWithoutApp(logger);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.Value.PollInterval;
            try
            {
                if (await RunDueAsync(stoppingToken).ConfigureAwait(false) == BatchSize)
                {
                    continue;
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                wait = FailurePause;
                Log.JobPollFailed(logger, exception.Message, wait);
            }

            await wakeup.WaitAsync(wait, timeProvider, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Claims the due jobs and delivers their ticks; says how many were claimed.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        wakeup.Reached(now);
        var due = await store.ClaimDueAsync(runtime.Value.AppId, now, options.Value.ClaimLease, BatchSize, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(due.Select(job => FireAsync(job, cancellationToken))).ConfigureAwait(false);
        return due.Count;
    }

    private async Task FireAsync(StoredJob claimed, CancellationToken cancellationToken)
    {
        JobTimeline timeline;
        try
        {
            timeline = JobTimeline.Of(claimed.Job, claimed.CreatedAt);
        }
        catch (RuntimeException unreadable)
        {
            // A job stored by a version that read its texts otherwise: it cannot fire, and claiming it again would not change that.
            Log.JobUnreadable(logger, claimed.Job.Name, unreadable.Message);
            await store.ReleaseAsync(claimed, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (timeline.IsExpired(timeProvider.GetUtcNow()))
        {
            Log.JobExpired(logger, claimed.Job.Name, timeline.ExpiresAt!.Value);
            await store.ReleaseAsync(claimed, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        bool taken;
        using (var timeout = new CancellationTokenSource(options.Value.DeliveryTimeout, timeProvider))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                taken = await delivery.DeliverAsync(claimed.Job.Name, claimed.Tick, claimed.Job.Data, linked.Token).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                taken = false;
            }
        }

        var now = timeProvider.GetUtcNow();
        StoredJob? next;
        if (taken)
        {
            next = Advance(claimed, timeline, now);
        }
        else
        {
            var policy = claimed.Job.FailurePolicy ?? JobFailurePolicy.Default;
            var attempts = claimed.FailedAttempts + 1;
            if (policy.Drop || attempts > policy.MaxRetries)
            {
                Log.JobTickDropped(logger, claimed.Job.Name, claimed.Tick, attempts);
                next = Advance(claimed, timeline, now);
            }
            else
            {
                var retryAt = now + policy.Interval;
                Log.JobTickRetried(logger, claimed.Job.Name, claimed.Tick, attempts, retryAt);
                next = claimed with { DueAt = retryAt, FailedAttempts = attempts };
            }
        }

        await store.ReleaseAsync(claimed, next, cancellationToken).ConfigureAwait(false);
        if (next is not null)
        {
            wakeup.Expect(next.DueAt);
        }
    }

    private static StoredJob? Advance(StoredJob claimed, JobTimeline timeline, DateTimeOffset now)
    {
        var fired = claimed.Fired + 1;
        var tick = timeline.After(claimed.Tick, fired);
        if (tick < now)
        {
            tick = timeline.After(now, fired);
        }

        return tick is { } next ? claimed with { Tick = next, DueAt = next, Fired = fired, FailedAttempts = 0 } : null;
    }
}
