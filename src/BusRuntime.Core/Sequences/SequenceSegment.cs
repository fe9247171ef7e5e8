namespace BusRuntime.Core.Sequences;

/// <summary>The ids of one key a sidecar has reserved and not yet handed out: (<see cref="Next"/> - 1, <see cref="Last"/>].</summary>
internal sealed class SequenceSegment
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public long Next { get; set; } = 1;

    public long Last { get; set; }
}
