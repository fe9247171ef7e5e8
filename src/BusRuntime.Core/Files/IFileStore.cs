namespace BusRuntime.Core.Files;

/// <summary>
/// Where a file component keeps its files, by storage path ("{scope}/{path}", checked by <see cref="FilePaths"/>).
/// Content passes through in chunks both ways: no implementation holds a whole file in memory.
/// </summary>
public interface IFileStore
{
    /// <summary>
    /// Stores <paramref name="content"/> under <paramref name="path"/>, replacing the file there only once all of it
    /// arrived: when the content fails (the caller went, a bound was passed) nothing is stored and the file before stays.
    /// </summary>
    Task PutAsync(string path, IAsyncEnumerable<ReadOnlyMemory<byte>> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    /// <summary>The file's content from its start, read as the caller reads; null when there is no such file.</summary>
    Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>The file's size, time and metadata; null when there is no such file.</summary>
    Task<FileEntry?> GetInfoAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// At most <paramref name="limit"/> files whose paths start with <paramref name="prefix"/> and sort after
    /// <paramref name="after"/> (all when null), in ordinal order of their paths.
    /// </summary>
    Task<IReadOnlyList<FileEntry>> ListAsync(string prefix, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes the file; false when there was none.</summary>
    Task<bool> DeleteAsync(string path, CancellationToken cancellationToken);
}
