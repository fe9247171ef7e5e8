using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Files;

namespace BusRuntime.Stores.Local.Files;

/// <summary>
/// file.local: files in a directory of the sidecar's machine, storage path 'shop/reports/2026.csv' as
/// '{root}/files/shop/reports/2026.csv'. A put writes to '{root}/incoming' first and moves the whole file into place,
/// so a reader never sees half a file and a failed put leaves the old one. It keeps no metadata (as Layotto's local
/// component); the file system's last write time is the file's.
/// </summary>
public sealed class LocalFileStore : IFileStore
{
    private const int BufferBytes = 64 * 1024;

    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private readonly string files;
    private readonly string incoming;

    public LocalFileStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var full = Path.GetFullPath(root);
        files = Path.Join(full, "files");
        incoming = Path.Join(full, "incoming");
    }

    /// <summary>
    /// The directory of a component: its metadata rootPath, else BusRuntime:FilesDirectory, else 'busruntime/files' in
    /// the user's local data directory (~/.local/share on Linux), or in the temporary directory when there is none.
    /// </summary>
    public static LocalFileStore Create(ComponentOptions component, StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = ComponentMetadata.GetString(component, FileStoreMetadata.RootPath) ?? options.FilesDirectory ?? DefaultRoot();
        return new LocalFileStore(root);
    }

    public async Task PutAsync(string path, IAsyncEnumerable<ReadOnlyMemory<byte>> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var target = FullPath(path);
        Directory.CreateDirectory(incoming);
        var temporary = Path.Join(incoming, Guid.NewGuid().ToString("N") + ".part");
        try
        {
            var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, FileOptions.Asynchronous);
            await using (output.ConfigureAwait(false))
            {
                await foreach (var chunk in content.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    await output.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                }

                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            if (Directory.Exists(target))
            {
                throw RuntimeException.FailedPrecondition("the name is a directory of other files (they are named as if it were one of their directories); choose another name.");
            }

            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(temporary, target, overwrite: true);
            }
            catch (IOException exception)
            {
                throw new RuntimeException(ErrorCode.FailedPrecondition, "one of the file's directories is a file itself; choose another name.", exception);
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var full = FullPath(path);
        try
        {
            return Task.FromResult<Stream?>(new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException && !File.Exists(full))
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<FileEntry?> GetInfoAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(FullPath(path));
        return Task.FromResult(info.Exists ? new FileEntry(path, info.Length, info.LastWriteTimeUtc, NoMetadata) : null);
    }

    public Task<IReadOnlyList<FileEntry>> ListAsync(string prefix, string? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var directory = prefix.Length == 0 ? files : FullPath(prefix.TrimEnd('/'));
        if (!Directory.Exists(directory))
        {
            return Task.FromResult<IReadOnlyList<FileEntry>>([]);
        }

        // The first `limit` paths after the marker, kept in a heap of that size whose root is the greatest, so a
        // directory of a million files costs a walk, not a million names in memory.
        var smallest = new PriorityQueue<string, string>(limit + 1, Comparer<string>.Create(static (x, y) => string.CompareOrdinal(y, x)));
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in Directory.EnumerateFiles(directory, "*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var storagePath = Path.GetRelativePath(files, file).Replace(Path.DirectorySeparatorChar, '/');
            if (after is not null && string.CompareOrdinal(storagePath, after) <= 0)
            {
                continue;
            }

            smallest.Enqueue(storagePath, storagePath);
            if (smallest.Count > limit)
            {
                smallest.Dequeue();
            }
        }

        var page = new List<FileEntry>(smallest.Count);
        while (smallest.TryDequeue(out var storagePath, out _))
        {
            var info = new FileInfo(FullPath(storagePath));
            if (info.Exists)
            {
                page.Add(new FileEntry(storagePath, info.Length, info.LastWriteTimeUtc, NoMetadata));
            }
        }

        page.Reverse();
        return Task.FromResult<IReadOnlyList<FileEntry>>(page);
    }

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var full = FullPath(path);
        if (!File.Exists(full))
        {
            return Task.FromResult(false);
        }

        File.Delete(full);
        return Task.FromResult(true);
    }

    private static string DefaultRoot()
    {
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return Path.Join(string.IsNullOrEmpty(data) ? Path.GetTempPath() : data, "busruntime", "files");
    }

    /// <summary>The file of a storage path, which FilePaths checked; checked again here so that no path leaves the directory.</summary>
    private string FullPath(string path)
    {
        var full = Path.GetFullPath(Path.Join(files, path));
        return full.StartsWith(files + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw RuntimeException.InvalidArgument($"name {Quoted.Of(path)} leaves the store's directory; name the file relative to the store.");
    }
}
