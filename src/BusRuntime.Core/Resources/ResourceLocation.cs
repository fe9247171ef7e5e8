using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Resources;

/// <summary>Where a resource is, for messages: "components/state.yaml (line 3): component 'statestore'".</summary>
internal sealed record ResourceLocation(string File, long Line, string Kind, string Name)
{
    public override string ToString() => $"{File} (line {Line}): {Kind} {Quoted.Of(Name)}";

    /// <summary>A start-up failure about <paramref name="field"/> of this resource.</summary>
    public InvalidOperationException Error(string field, string problem) => new($"{this}: {field} {problem}");
}
