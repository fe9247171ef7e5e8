using System.Globalization;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Locks;
using BusRuntime.Core.Schedules;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Bindings.Cron;

/// <summary>
/// bindings.cron's reading side: at each tick of its schedule, the replica of the app that takes the lock
/// <c>cron/{app}/{binding}/{tick}</c> in the lock store delivers an event with no data and Dapr's metadata
/// (<c>timeZone</c>, <c>readTimeUTC</c>: the tick's time, which is when robfig's fires); the others let the tick pass, so the app gets each tick once however many
/// sidecars it runs with, provided they share the lock store (PostgreSQL or Redis; the in-memory one is each sidecar's
/// own). The lock is never released: it expires after <see cref="LeaseSeconds"/>, long after any replica could still
/// try that tick. A tick whose lock cannot be asked for (the store is down) is skipped, not delivered by every replica.
/// As Dapr's, the app's answer does not matter: a tick is not retried. A tick that comes while the app still handles the
/// previous one is skipped.
/// </summary>
public sealed class CronInputBinding(
    string name, string appId, CronSchedule schedule, LockManager locks, string lockStore, TimeProvider timeProvider, ILogger logger) : IInputBinding
{
    /// <summary>How long a tick's lock lives: the clocks of an app's replicas differ by far less.</summary>
    public const int LeaseSeconds = 60;

    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    private readonly string owner = Guid.NewGuid().ToString("N");

    public async Task ReadAsync(Func<InputBindingEvent, CancellationToken, Task<bool>> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var last = DateTimeOffset.MinValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = timeProvider.GetUtcNow();
            if (schedule.Next(now > last ? now : last) is not { } tick)
            {
                Log.CronNeverFiresAgain(logger, name);
                await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, cancellationToken).ConfigureAwait(false);
                return;
            }

            // A timer waits at most about 49 days: a far tick (@yearly) is waited for a day at a time.
            for (var wait = tick - now; wait > TimeSpan.Zero; wait = tick - timeProvider.GetUtcNow())
            {
                await Task.Delay(wait < MaxWait ? wait : MaxWait, timeProvider, cancellationToken).ConfigureAwait(false);
            }

            last = tick;
            if (!await TakeAsync(tick, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [BindingMetadata.TimeZone] = schedule.Zone.Id,
                [BindingMetadata.ReadTimeUtc] = tick.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF '+0000 UTC'", CultureInfo.InvariantCulture),
            };
            await handler(new InputBindingEvent(ReadOnlyMemory<byte>.Empty, metadata), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> TakeAsync(DateTimeOffset tick, CancellationToken cancellationToken)
    {
        var resource = $"cron/{appId}/{name}/{tick.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";
        try
        {
            return await locks.TryLockAsync(lockStore, resource, owner, LeaseSeconds, cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeException exception)
        {
            Log.CronTickSkipped(logger, name, tick, lockStore, exception.Message);
            return false;
        }
    }
}
