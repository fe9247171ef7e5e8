using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Files;
using BusRuntime.Stores.Local.Files;

namespace BusRuntime.Stores.Tests.Files;

public sealed class LocalFileStoreTests : FileStoreBehaviour, IDisposable
{
    private readonly string root = Path.Join(Path.GetTempPath(), "busruntime-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    protected override IFileStore CreateStore() => new LocalFileStore(root);

    [Fact]
    public async Task PutAsync_File_LiesUnderFilesInTheRootAndLeavesNothingIncoming()
    {
        await Store.PutAsync("shop/reports/2026.csv", FileContent.Chunks([1, 2, 3], 2), new Dictionary<string, string>(), CancellationToken.None);
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("shop/b", FileContent.Failing([1, 2, 3], 2), new Dictionary<string, string>(), CancellationToken.None));

        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Join(root, "files", "shop", "reports", "2026.csv")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(root, "incoming")));
    }

    [Fact]
    public async Task PutAsync_NameOfADirectory_IsFailedPrecondition()
    {
        await Store.PutAsync("shop/a/b", FileContent.Chunks([1], 1), new Dictionary<string, string>(), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<RuntimeException>(() => Store.PutAsync("shop/a", FileContent.Chunks([1], 1), new Dictionary<string, string>(), CancellationToken.None));

        Assert.Equal(ErrorCode.FailedPrecondition, refused.Code);
    }

    [Fact]
    public async Task StoragePathOutsideTheRoot_IsRefusedByTheStoreItself()
    {
        var refused = await Assert.ThrowsAsync<RuntimeException>(() => Store.GetInfoAsync("../escape", CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, refused.Code);
    }

    [Fact]
    public async Task Create_NoRootPath_TakesBusRuntimeFilesDirectory()
    {
        var component = new ComponentOptions { Name = "files", Type = ComponentTypes.FileLocal };

        var store = LocalFileStore.Create(component, new StoreOptions { FilesDirectory = root });
        await store.PutAsync("x", FileContent.Chunks([7], 1), new Dictionary<string, string>(), CancellationToken.None);

        Assert.True(File.Exists(Path.Join(root, "files", "x")));
    }
}
