namespace BusRuntime.Contracts;

/// <summary>The answer to a <see cref="JobTriggered"/>: whether the app took the tick.</summary>
public sealed record JobTriggerOutcome
{
    /// <summary>True when the app answered the tick with success.</summary>
    public bool Taken { get; init; }

    /// <summary>Why it was not taken, for the log; null when it was.</summary>
    public string? Reason { get; init; }
}
