namespace BusRuntime.Core.Resources;

/// <summary>
/// How one Dapr component type becomes a BusRuntime component: the BusRuntime type, the Dapr metadata it accepts
/// and ignores (with why, for the start-up log), and the metadata whose value must be one it can honour.
/// Metadata the BusRuntime type takes itself passes as it is.
/// </summary>
internal sealed record DaprTypeRule(string Target, IReadOnlyDictionary<string, string> Ignored, IReadOnlyDictionary<string, (string Value, string Why)> Fixed)
{
    /// <summary>The Dapr component versions BusRuntime reads for this type.</summary>
    public IReadOnlyList<string> Versions { get; init; } = ["v1"];

    /// <summary>Why BusRuntime has no component of this Dapr type, and what to use; null when it has one.</summary>
    public string? Unsupported { get; init; }
}
