namespace BusRuntime.Core.Resources;

/// <summary>One <c>spec.metadata</c> entry of a component file, its value resolved (from <c>value</c>, <c>secretKeyRef</c> or <c>envRef</c>).</summary>
internal sealed record RawMetadata(string Name, string Value, long Line, bool FromSecret);
