namespace BusRuntime.Core.Bindings;

/// <summary>What an app asks of an output binding: an operation, its data and the metadata the binding's type reads.</summary>
public sealed record BindingRequest(string Operation, ReadOnlyMemory<byte> Data, IReadOnlyDictionary<string, string> Metadata);
