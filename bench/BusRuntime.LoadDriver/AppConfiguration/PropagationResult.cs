namespace BusRuntime.LoadDriver.AppConfiguration;

/// <summary>
/// What the configuration benchmark measured, in milliseconds: how long after a save was sent its change
/// reached the other sidecar's subscriber (propagation), and how long the save call itself took.
/// </summary>
public sealed record PropagationResult(int Changes, Percentiles Propagation, Percentiles Save)
{
    public static PropagationResult From(IReadOnlyList<long> propagationTicks, IReadOnlyList<long> saveTicks)
    {
        ArgumentNullException.ThrowIfNull(propagationTicks);
        ArgumentNullException.ThrowIfNull(saveTicks);
        return new PropagationResult(propagationTicks.Count, Percentiles.Of(propagationTicks), Percentiles.Of(saveTicks));
    }
}
