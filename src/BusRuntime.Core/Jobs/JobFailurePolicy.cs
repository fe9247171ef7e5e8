namespace BusRuntime.Core.Jobs;

/// <summary>
/// What happens when the app does not take a job's tick (Dapr's <c>JobFailurePolicy</c>): drop the tick, or try it again
/// every <see cref="Interval"/>, at most <see cref="MaxRetries"/> times (no bound when null).
/// </summary>
public sealed record JobFailurePolicy(bool Drop, TimeSpan Interval, uint? MaxRetries)
{
    /// <summary>Dapr's policy when a job names none: three more tries, a second apart.</summary>
    public static JobFailurePolicy Default { get; } = new(false, TimeSpan.FromSeconds(1), 3);
}
