using BusRuntime.Core.Configuration;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Health;

/// <summary>
/// Whether the app answers its health probes (<see cref="AppHealthOptions"/>). Without health checks the app is always
/// healthy; with them it starts unhealthy, as in daprd, until its first probe succeeds, and turns unhealthy after
/// <see cref="AppHealthOptions.Threshold"/> failed probes in a row. While it is unhealthy its subscriptions pause and its
/// invocations fail at once.
/// </summary>
public sealed class AppHealth
{
    private readonly Lock gate = new();
    private readonly int threshold;
    private int failures;
    private string reason;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AppHealth(IOptions<AppHealthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        threshold = options.Value.Threshold;
        failures = options.Value.Enabled ? threshold : 0;
        reason = "its health has not been probed yet";
    }

    public bool IsHealthy
    {
        get
        {
            lock (gate)
            {
                return failures < threshold;
            }
        }
    }

    /// <summary>Why the app is unhealthy: the last failed probe.</summary>
    public string Reason
    {
        get
        {
            lock (gate)
            {
                return reason;
            }
        }
    }

    /// <summary>Completes at the next change between healthy and unhealthy.</summary>
    public Task Changed
    {
        get
        {
            lock (gate)
            {
                return changed.Task;
            }
        }
    }

    /// <summary>Records a probe; says whether the app turned healthy (true), unhealthy (false), or stayed as it was (null).</summary>
    public bool? Report(bool succeeded, string? failure = null)
    {
        lock (gate)
        {
            var wasHealthy = failures < threshold;
            if (succeeded)
            {
                failures = 0;
            }
            else
            {
                failures = Math.Min(failures + 1, threshold);
                reason = failure ?? "its health probe failed";
            }

            var isHealthy = failures < threshold;
            if (isHealthy == wasHealthy)
            {
                return null;
            }

            changed.TrySetResult();
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return isHealthy;
        }
    }

    /// <summary>Waits until the app is healthy.</summary>
    public async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (failures < threshold)
                {
                    return;
                }

                next = changed.Task;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the app is unhealthy.</summary>
    public async Task WaitUntilUnhealthyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (failures >= threshold)
                {
                    return;
                }

                next = changed.Task;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
