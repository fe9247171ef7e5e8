namespace BusRuntime.Core.Stores;

/// <summary>A store that can tell whether it can serve calls right now; readiness asks every second.</summary>
public interface IHealthReportingStore
{
    /// <summary>Completes when the store answers; throws (with a message for operators) when it does not.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}
