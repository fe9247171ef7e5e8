using System.ComponentModel.DataAnnotations;

namespace BusRuntime.Core.Jobs;

/// <summary>The jobs API's bounds and its due-job loop (BusRuntime:Jobs).</summary>
public sealed class JobOptions
{
    public const string SectionName = "BusRuntime:Jobs";

    /// <summary>The most jobs one app may have; a schedule beyond it is RESOURCE_EXHAUSTED.</summary>
    [Range(1, 1_000_000, ErrorMessage = "BusRuntime:Jobs:MaxJobsPerApp must be between 1 and 1000000.")]
    public int MaxJobsPerApp { get; set; } = 10_000;

    /// <summary>
    /// How often the store is asked for due jobs when no job this sidecar knows of is due sooner (<see cref="JobWakeup"/>):
    /// how soon it finds a job another sidecar of the app scheduled, should that sidecar stop before firing it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "BusRuntime:Jobs:PollInterval must be between 00:00:00.050 and 00:01:00.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a claimed job is this sidecar's: longer than a delivery may take (the app's call is bounded by
    /// <see cref="DeliveryTimeout"/>), so that another replica takes the tick over only from a sidecar that stopped.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "BusRuntime:Jobs:ClaimLease must be between 00:00:01 and 01:00:00.")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the app may take over one tick before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:30:00", ErrorMessage = "BusRuntime:Jobs:DeliveryTimeout must be between 00:00:00.100 and 00:30:00.")]
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
