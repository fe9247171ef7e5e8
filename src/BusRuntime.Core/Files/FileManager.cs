using System.Runtime.CompilerServices;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Stores;

namespace BusRuntime.Core.Files;

/// <summary>
/// The files primitive (Layotto's file API): checks the names an app sends, keeps each app's files apart (a file
/// of app 'shop' is stored as 'shop/{name}' unless the component's keyPrefix says otherwise), bounds what a put
/// may store, and passes content through in chunks both ways.
/// </summary>
public sealed class FileManager
{
    /// <summary>The largest file a put stores unless the component's maxFileBytes says otherwise: 5 GiB, S3's single put.</summary>
    public const long DefaultMaxFileBytes = 5L * 1024 * 1024 * 1024;

    /// <summary>The most files one page of a listing holds, and what a page size of 0 asks for.</summary>
    public const int MaxPageSize = 1000;

    private readonly NamedStores<IFileStore> stores;
    private readonly StoreMetrics metrics;
    private readonly Dictionary<string, long> maxFileBytes;
    private readonly Dictionary<string, string> scopes;

    public FileManager(NamedStores<IFileStore> stores, StoreMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(stores);
        this.stores = stores;
        this.metrics = metrics;
        maxFileBytes = stores.All.ToDictionary(
            store => store.Name,
            store => ComponentMetadata.GetString(store.Component, FileStoreMetadata.MaxFileBytes) is null ? DefaultMaxFileBytes : MaxFileBytesOf(store.Component),
            StringComparer.Ordinal);
        scopes = stores.All.ToDictionary(store => store.Name, store => ScopeOf(store), StringComparer.Ordinal);
    }

    /// <summary>
    /// Stores <paramref name="content"/> as file <paramref name="name"/>, replacing one of that name once all of it arrived.
    /// INVALID_ARGUMENT for a bad name or metadata, or content over the component's maxFileBytes (nothing is stored then).
    /// </summary>
    public Task PutAsync(
        string storeName, string name, IReadOnlyDictionary<string, string> metadata, IAsyncEnumerable<ReadOnlyMemory<byte>> content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var store = stores.Get(storeName);
        var path = StoragePath(store.Name, name, "name");
        RequestMetadata.EnsureValid(metadata, "metadata");
        var bounded = Bounded(content, maxFileBytes[store.Name], name, ComponentMetadata.KeyOf(store.Component, FileStoreMetadata.MaxFileBytes), cancellationToken);
        return metrics.MeasureAsync(store.Name, "put_file", async () =>
        {
            await store.Store.PutAsync(path, bounded, metadata, cancellationToken).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>The content of file <paramref name="name"/>, to read in chunks and dispose; NOT_FOUND when there is none.</summary>
    public async Task<Stream> OpenReadAsync(string storeName, string name, CancellationToken cancellationToken)
    {
        var store = stores.Get(storeName);
        var path = StoragePath(store.Name, name, "name");
        var content = await metrics.MeasureAsync(store.Name, "get_file", () => store.Store.OpenReadAsync(path, cancellationToken)).ConfigureAwait(false);
        return content ?? throw Missing(store.Name, name);
    }

    /// <summary>The size, last write and metadata of file <paramref name="name"/>; NOT_FOUND when there is none.</summary>
    public async Task<FileEntry> GetMetaAsync(string storeName, string name, CancellationToken cancellationToken)
    {
        var store = stores.Get(storeName);
        var path = StoragePath(store.Name, name, "name");
        var entry = await metrics.MeasureAsync(store.Name, "get_file_meta", () => store.Store.GetInfoAsync(path, cancellationToken)).ConfigureAwait(false);
        return entry is null ? throw Missing(store.Name, name) : entry with { Name = name };
    }

    /// <summary>Deletes file <paramref name="name"/>; NOT_FOUND when there is none.</summary>
    public async Task DeleteAsync(string storeName, string name, CancellationToken cancellationToken)
    {
        var store = stores.Get(storeName);
        var path = StoragePath(store.Name, name, "name");
        var deleted = await metrics.MeasureAsync(store.Name, "delete_file", () => store.Store.DeleteAsync(path, cancellationToken)).ConfigureAwait(false);
        if (!deleted)
        {
            throw Missing(store.Name, name);
        }
    }

    /// <summary>
    /// One page of the files under <paramref name="directory"/> (every file of the app when empty; files in its
    /// subdirectories too), named as the app names them, in ordinal order, after <paramref name="marker"/> (the
    /// marker of the page before; empty for the first). A page size of 0 asks for <see cref="MaxPageSize"/>.
    /// </summary>
    public async Task<FileListing> ListAsync(string storeName, string directory, int pageSize, string marker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(marker);
        var store = stores.Get(storeName);
        if (pageSize is < 0 or > MaxPageSize)
        {
            throw RuntimeException.InvalidArgument($"page_size {pageSize} must be between 0 (the most) and {MaxPageSize}.");
        }

        var limit = pageSize == 0 ? MaxPageSize : pageSize;
        var trimmed = directory.EndsWith(FilePaths.Separator) ? directory[..^1] : directory;
        var scope = scopes[store.Name];
        var prefix = trimmed.Length == 0 ? scope : StoragePath(store.Name, trimmed, "name") + FilePaths.Separator;
        string? after = null;
        if (marker.Length > 0)
        {
            after = StoragePath(store.Name, marker, "marker");
        }

        var found = await metrics.MeasureAsync(store.Name, "list_files", () => store.Store.ListAsync(prefix, after, limit + 1, cancellationToken)).ConfigureAwait(false);
        var page = found.Take(limit).Select(entry => entry with { Name = entry.Name[scope.Length..] }).ToList();
        return new FileListing(page, page.Count == 0 ? "" : page[^1].Name, found.Count > limit);
    }

    private string StoragePath(string storeName, string name, string field)
    {
        FilePaths.EnsureValid(name, field);
        return scopes[storeName] + name;
    }

    private static RuntimeException Missing(string storeName, string name) =>
        RuntimeException.NotFound($"file {Quoted.Of(name)} is not in file store '{storeName}'.");

    private static long MaxFileBytesOf(ComponentOptions component)
    {
        var value = ComponentMetadata.GetString(component, FileStoreMetadata.MaxFileBytes);
        return value is not null && long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > 0
            ? parsed
            : throw new InvalidOperationException($"{ComponentMetadata.KeyOf(component, FileStoreMetadata.MaxFileBytes)} '{value}' must be a whole number of bytes above 0.");
    }

    /// <summary>The storage path prefix of the component's files: "{keyPrefix}/" (the app id by default), or "" for keyPrefix none.</summary>
    private static string ScopeOf(NamedStore<IFileStore> store)
    {
        if (store.Keys.Prefix is not { } prefix)
        {
            return "";
        }

        try
        {
            FilePaths.EnsureValid(prefix, ComponentMetadata.KeyOf(store.Component, KeyScope.MetadataKey));
        }
        catch (RuntimeException invalid)
        {
            throw new InvalidOperationException(invalid.Message, invalid);
        }

        return prefix + FilePaths.Separator;
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Bounded(
        IAsyncEnumerable<ReadOnlyMemory<byte>> content, long maxBytes, string name, string setting, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long total = 0;
        await foreach (var chunk in content.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            total += chunk.Length;
            if (total > maxBytes)
            {
                throw RuntimeException.InvalidArgument($"file {Quoted.Of(name)} is over the maximum of {maxBytes} bytes ({setting}); nothing was stored.");
            }

            yield return chunk;
        }
    }
}
