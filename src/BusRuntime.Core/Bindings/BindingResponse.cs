namespace BusRuntime.Core.Bindings;

/// <summary>What an output binding answers: the data the outside system returned and metadata about the call.</summary>
public sealed record BindingResponse(ReadOnlyMemory<byte> Data, IReadOnlyDictionary<string, string> Metadata);
