using BusRuntime.Core.Files;

namespace BusRuntime.Stores.Tests.Files;

/// <summary>What every file store does, by storage path; content goes in and out in chunks of odd sizes.</summary>
public abstract class FileStoreBehaviour
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private IFileStore? store;

    protected IFileStore Store => store ??= CreateStore();

    /// <summary>A new, empty store whose content rows (where it has any) hold 4096 bytes, so that a few KB span several.</summary>
    protected abstract IFileStore CreateStore();

    [Fact]
    public async Task PutAsync_ContentOverSeveralChunks_OpenReadReturnsItWhole()
    {
        var data = FileContent.Bytes(20_000);

        await Store.PutAsync("shop/reports/2026.csv", FileContent.Chunks(data, 3000), NoMetadata, CancellationToken.None);

        Assert.Equal(data, await FileContent.ReadAllAsync((await Store.OpenReadAsync("shop/reports/2026.csv", CancellationToken.None))!));
    }

    [Fact]
    public async Task PutAsync_EmptyContent_StoresAnEmptyFile()
    {
        await Store.PutAsync("shop/empty", FileContent.Chunks([], 10), NoMetadata, CancellationToken.None);

        Assert.Empty(await FileContent.ReadAllAsync((await Store.OpenReadAsync("shop/empty", CancellationToken.None))!));
        Assert.Equal(0, (await Store.GetInfoAsync("shop/empty", CancellationToken.None))!.Size);
    }

    [Fact]
    public async Task PutAsync_ExistingFile_ReplacesIt()
    {
        await Store.PutAsync("shop/a", FileContent.Chunks(FileContent.Bytes(10_000, seed: 1), 4096), NoMetadata, CancellationToken.None);
        var second = FileContent.Bytes(5000, seed: 2);

        await Store.PutAsync("shop/a", FileContent.Chunks(second, 4096), NoMetadata, CancellationToken.None);

        Assert.Equal(second, await FileContent.ReadAllAsync((await Store.OpenReadAsync("shop/a", CancellationToken.None))!));
        Assert.Equal(5000, (await Store.GetInfoAsync("shop/a", CancellationToken.None))!.Size);
    }

    [Fact]
    public async Task PutAsync_ContentFailsHalfway_KeepsTheFileBefore()
    {
        var first = FileContent.Bytes(6000, seed: 1);
        await Store.PutAsync("shop/a", FileContent.Chunks(first, 4096), NoMetadata, CancellationToken.None);

        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("shop/a", FileContent.Failing(FileContent.Bytes(20_000, seed: 2), 4096), NoMetadata, CancellationToken.None));
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("shop/new", FileContent.Failing(FileContent.Bytes(20_000, seed: 2), 4096), NoMetadata, CancellationToken.None));

        Assert.Equal(first, await FileContent.ReadAllAsync((await Store.OpenReadAsync("shop/a", CancellationToken.None))!));
        Assert.Null(await Store.GetInfoAsync("shop/new", CancellationToken.None));
    }

    [Fact]
    public async Task GetInfoAsync_StoredFile_HasItsSizeAndARecentTime()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        await Store.PutAsync("shop/a", FileContent.Chunks(FileContent.Bytes(1234), 1000), NoMetadata, CancellationToken.None);

        var info = await Store.GetInfoAsync("shop/a", CancellationToken.None);

        Assert.NotNull(info);
        Assert.Equal(("shop/a", 1234L), (info.Name, info.Size));
        Assert.InRange(info.LastModified, before, DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task MissingFile_IsNullToEveryRead_AndNotDeleted()
    {
        Assert.Null(await Store.OpenReadAsync("shop/none", CancellationToken.None));
        Assert.Null(await Store.GetInfoAsync("shop/none", CancellationToken.None));
        Assert.False(await Store.DeleteAsync("shop/none", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_StoredFile_IsGone()
    {
        await Store.PutAsync("shop/a", FileContent.Chunks(FileContent.Bytes(9000), 4096), NoMetadata, CancellationToken.None);

        Assert.True(await Store.DeleteAsync("shop/a", CancellationToken.None));

        Assert.Null(await Store.OpenReadAsync("shop/a", CancellationToken.None));
        Assert.Empty(await Store.ListAsync("shop/", null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_PrefixAndAfter_PagesThroughInOrdinalOrder()
    {
        foreach (var path in new[] { "shop/b", "shop/a/2", "shop/a/1", "shop/c", "shop-other/x", "billing/a" })
        {
            await Store.PutAsync(path, FileContent.Chunks([1, 2, 3], 2), NoMetadata, CancellationToken.None);
        }

        var first = await Store.ListAsync("shop/", null, 2, CancellationToken.None);
        var second = await Store.ListAsync("shop/", first[^1].Name, 2, CancellationToken.None);
        var directory = await Store.ListAsync("shop/a/", null, 10, CancellationToken.None);

        Assert.Equal(["shop/a/1", "shop/a/2"], first.Select(file => file.Name));
        Assert.Equal(["shop/b", "shop/c"], second.Select(file => file.Name));
        Assert.Equal(["shop/a/1", "shop/a/2"], directory.Select(file => file.Name));
        Assert.All(first, file => Assert.Equal(3, file.Size));
    }
}
