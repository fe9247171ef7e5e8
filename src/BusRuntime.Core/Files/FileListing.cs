namespace BusRuntime.Core.Files;

/// <summary>
/// One page of a listing: the files, the marker to pass for the next page (the last file's name; empty for an empty
/// page) and whether more files follow it.
/// </summary>
public sealed record FileListing(IReadOnlyList<FileEntry> Files, string Marker, bool IsTruncated);
