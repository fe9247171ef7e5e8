namespace BusRuntime.Core.Files;

/// <summary>
/// One stored file: its path (the storage path from a store, the app's own name from <see cref="FileManager"/>), its size
/// in bytes, when it was last written, and the metadata it was put with (empty for stores that keep none).
/// </summary>
public sealed record FileEntry(string Name, long Size, DateTimeOffset LastModified, IReadOnlyDictionary<string, string> Metadata);
