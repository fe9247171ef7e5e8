using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Files;
using BusRuntime.Core.Stores;
using BusRuntime.Stores.Local.Files;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BusRuntime.Stores.Tests.Files;

/// <summary>
/// A file far larger than any buffer goes through the files primitive and back in bounded memory: the whole process
/// allocates a small fraction of the file's size for the put and the read together, and the bytes read hash as the
/// bytes written.
/// </summary>
[Collection(LargeFilesCollection.Name)]
public sealed class LargeFileTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const long FileBytes = 256L * 1024 * 1024;
    private const int AppChunkBytes = 64 * 1024;

    /// <summary>What the put and the read may allocate together: an eighth of the file (a store that held the file whole would need all of it).</summary>
    private const long AllocationBound = FileBytes / 8;

    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private readonly string root = Path.Join(Path.GetTempPath(), "busruntime-tests-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private PostgresSidecar? sidecar;

    public Task InitializeAsync()
    {
        sidecar = postgres.StartSidecar();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await sidecar!.DisposeAsync();
        await services.DisposeAsync();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public Task PutAndRead_256MiBOnFileLocal_InBoundedMemoryAndIntact() =>
        RoundTripAsync(ComponentTypes.FileLocal, _ => new LocalFileStore(root));

    [Fact]
    public Task PutAndRead_256MiBOnFilePostgresql_InBoundedMemoryAndIntact() =>
        RoundTripAsync(ComponentTypes.FilePostgres, component => sidecar!.Create<IFileStore>(ComponentTypes.FilePostgres, component.Name));

    private async Task RoundTripAsync(string type, Func<ComponentOptions, IFileStore> create)
    {
        var component = new ComponentOptions { Name = "files", Type = type };
        var stores = new NamedStores<IFileStore>(ComponentKind.File, [component], [new StoreFactory<IFileStore>(type, create)], "shop");
        var files = new FileManager(stores, new StoreMetrics(services.GetRequiredService<IMeterFactory>(), TimeProvider.System, Options.Create(new RuntimeOptions { AppId = "shop" })));
        // Warm up (the schema's migration, first-call JIT) so that only the large file's own work is counted.
        await files.PutAsync("files", "warm-up", NoMetadata, FileContent.Chunks([1, 2, 3], 2), CancellationToken.None);
        await FileContent.ReadAllAsync(await files.OpenReadAsync("files", "warm-up", CancellationToken.None));

        using var written = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var read = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        await files.PutAsync("files", "large.bin", NoMetadata, Generated(written), CancellationToken.None);
        long readBytes = 0;
        await using (var content = await files.OpenReadAsync("files", "large.bin", CancellationToken.None))
        {
            var buffer = new byte[AppChunkBytes];
            int count;
            while ((count = await content.ReadAsync(buffer)) > 0)
            {
                read.AppendData(buffer, 0, count);
                readBytes += count;
            }
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(FileBytes, readBytes);
        Assert.Equal(FileBytes, (await files.GetMetaAsync("files", "large.bin", CancellationToken.None)).Size);
        Assert.Equal(written.GetHashAndReset(), read.GetHashAndReset());
        Assert.True(allocated < AllocationBound, $"the put and the read of {FileBytes} bytes allocated {allocated} bytes; the bound is {AllocationBound}.");
        await files.DeleteAsync("files", "large.bin", CancellationToken.None);
    }

    /// <summary>The file's bytes as an app sends them: pseudo-random chunks from one reused buffer, hashed as they go.</summary>
    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Generated(IncrementalHash hash)
    {
        var random = new Random(42);
        var buffer = new byte[AppChunkBytes];
        for (long sent = 0; sent < FileBytes; sent += buffer.Length)
        {
            random.NextBytes(buffer);
            hash.AppendData(buffer);
            await Task.Yield();
            yield return buffer;
        }
    }
}
