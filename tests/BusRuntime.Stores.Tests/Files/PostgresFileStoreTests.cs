using BusRuntime.Core.Configuration;
using BusRuntime.Core.Files;

namespace BusRuntime.Stores.Tests.Files;

[Collection(PostgresCollection.Name)]
public sealed class PostgresFileStoreTests(PostgresFixture postgres) : FileStoreBehaviour, IAsyncLifetime
{
    private readonly PostgresSidecar sidecar = postgres.StartSidecar();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sidecar.DisposeAsync();

    protected override IFileStore CreateStore() =>
        sidecar.Create<IFileStore>(ComponentTypes.FilePostgres, "files", new() { [FileStoreMetadata.ChunkBytes] = "4096" });

    [Fact]
    public async Task PutAsync_Metadata_IsKeptWithTheFile()
    {
        await Store.PutAsync("shop/a", FileContent.Chunks([1], 1), new Dictionary<string, string> { ["content-type"] = "text/csv" }, CancellationToken.None);

        var info = await Store.GetInfoAsync("shop/a", CancellationToken.None);

        Assert.Equal("text/csv", info!.Metadata["content-type"]);
    }

    [Fact]
    public async Task PutAsync_ReplacedAndDeletedFiles_LeaveNoContentRows()
    {
        await Store.PutAsync("shop/a", FileContent.Chunks(FileContent.Bytes(10_000), 4096), new Dictionary<string, string>(), CancellationToken.None);
        await Store.PutAsync("shop/a", FileContent.Chunks(FileContent.Bytes(5000), 4096), new Dictionary<string, string>(), CancellationToken.None);
        await Store.PutAsync("shop/b", FileContent.Chunks(FileContent.Bytes(5000), 4096), new Dictionary<string, string>(), CancellationToken.None);
        Assert.Equal(4, await postgres.RowCountAsync(sidecar.Schema, "file_chunks"));

        await Store.DeleteAsync("shop/b", CancellationToken.None);

        Assert.Equal(2, await postgres.RowCountAsync(sidecar.Schema, "file_chunks"));
    }

    [Fact]
    public async Task OpenReadAsync_FileReplacedWhileRead_FailsAborted()
    {
        await Store.PutAsync("shop/a", FileContent.Chunks(FileContent.Bytes(10_000), 4096), new Dictionary<string, string>(), CancellationToken.None);
        await using var reading = (await Store.OpenReadAsync("shop/a", CancellationToken.None))!;
        var buffer = new byte[4096];
        await reading.ReadExactlyAsync(buffer);

        await Store.PutAsync("shop/a", FileContent.Chunks(FileContent.Bytes(10_000, seed: 2), 4096), new Dictionary<string, string>(), CancellationToken.None);

        var aborted = await Assert.ThrowsAsync<Core.Errors.RuntimeException>(() => reading.ReadExactlyAsync(buffer).AsTask());
        Assert.Equal(Core.Errors.ErrorCode.Aborted, aborted.Code);
    }
}
