namespace BusRuntime.Core.Jobs;

/// <summary>How the due-job loop hands a claimed tick on: to one sidecar of the app, whose app takes it or not.</summary>
public interface IJobDelivery
{
    /// <summary>Delivers the tick; true when an app replica took it, false when it answered with a failure or no answer came in time.</summary>
    Task<bool> DeliverAsync(string name, DateTimeOffset tick, JobData? data, CancellationToken cancellationToken);
}
