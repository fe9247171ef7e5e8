namespace BusRuntime.Core.Files;

/// <summary>The metadata keys of the file component types.</summary>
public static class FileStoreMetadata
{
    /// <summary>file.local: the directory that holds the files (else BusRuntime:FilesDirectory, else the user's local data directory).</summary>
    public const string RootPath = "rootPath";

    /// <summary>Every file component: the largest file a put may store, in bytes.</summary>
    public const string MaxFileBytes = "maxFileBytes";

    /// <summary>file.postgresql: the size of the rows a file is kept in, in bytes.</summary>
    public const string ChunkBytes = "chunkBytes";
}
