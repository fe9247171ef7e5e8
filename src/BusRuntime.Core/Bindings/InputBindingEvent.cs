namespace BusRuntime.Core.Bindings;

/// <summary>What an input binding read: the data (empty for a cron tick) and the metadata its type sets.</summary>
public sealed record InputBindingEvent(ReadOnlyMemory<byte> Data, IReadOnlyDictionary<string, string> Metadata);
