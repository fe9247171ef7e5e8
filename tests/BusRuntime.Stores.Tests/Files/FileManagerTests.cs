using System.Diagnostics.Metrics;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Files;
using BusRuntime.Core.Stores;
using BusRuntime.Stores.Local.Files;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BusRuntime.Stores.Tests.Files;

/// <summary>The files primitive over file.local: names, bounds, per-app scoping and paging.</summary>
public sealed class FileManagerTests : IDisposable
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private readonly string root = Path.Join(Path.GetTempPath(), "busruntime-tests-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose()
    {
        services.Dispose();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    public static TheoryData<string> BadNames => new()
    {
        "", "../billing/secret", "a/../../b", "/etc/passwd", "\\windows", "C:/x", "a\\b", "a//b", "a/./b", "a/", "nul\0byte", "ctl\u0007",
        new string('a', 256), string.Join('/', Enumerable.Repeat("ab", 33)), string.Join('/', Enumerable.Repeat(new string('a', 200), 6)),
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task EveryCall_BadName_IsInvalidArgumentQuotingIt(string name)
    {
        var files = Manager("shop");

        var calls = new Func<Task>[]
        {
            () => files.PutAsync("file_demo", name, NoMetadata, FileContent.Chunks([1], 1), CancellationToken.None),
            () => files.OpenReadAsync("file_demo", name, CancellationToken.None),
            () => files.GetMetaAsync("file_demo", name, CancellationToken.None),
            () => files.DeleteAsync("file_demo", name, CancellationToken.None),
        };

        foreach (var call in calls)
        {
            var refused = await Assert.ThrowsAsync<RuntimeException>(call);
            Assert.Equal(ErrorCode.InvalidArgument, refused.Code);
            Assert.StartsWith("name ", refused.Message, StringComparison.Ordinal);
            Assert.True(refused.Message.Length < 400, refused.Message);
        }

        Assert.False(Directory.Exists(Path.Join(root, "files", "billing")));
    }

    [Fact]
    public async Task Calls_UnknownStore_AreComponentNotFound()
    {
        var refused = await Assert.ThrowsAsync<RuntimeException>(() => Manager("shop").GetMetaAsync("s3", "a", CancellationToken.None));

        Assert.Equal(ErrorCode.ComponentNotFound, refused.Code);
        Assert.Equal("store_name 's3' is not a configured file store; configured: file_demo.", refused.Message);
    }

    [Fact]
    public async Task MissingFile_IsNotFoundToGetMetaAndDelete()
    {
        var files = Manager("shop");

        var get = await Assert.ThrowsAsync<RuntimeException>(() => files.OpenReadAsync("file_demo", "none.txt", CancellationToken.None));
        var meta = await Assert.ThrowsAsync<RuntimeException>(() => files.GetMetaAsync("file_demo", "none.txt", CancellationToken.None));
        var delete = await Assert.ThrowsAsync<RuntimeException>(() => files.DeleteAsync("file_demo", "none.txt", CancellationToken.None));

        Assert.All([get, meta, delete], missing => Assert.Equal(ErrorCode.NotFound, missing.Code));
        Assert.Equal("file 'none.txt' is not in file store 'file_demo'.", meta.Message);
    }

    [Fact]
    public async Task Files_OfAnotherApp_AreNotSeen()
    {
        var shop = Manager("shop");
        var billing = Manager("billing");
        await shop.PutAsync("file_demo", "orders.csv", NoMetadata, FileContent.Chunks([1, 2], 1), CancellationToken.None);

        var listing = await billing.ListAsync("file_demo", "", 0, "", CancellationToken.None);
        var meta = await Assert.ThrowsAsync<RuntimeException>(() => billing.GetMetaAsync("file_demo", "orders.csv", CancellationToken.None));

        Assert.Empty(listing.Files);
        Assert.Equal(ErrorCode.NotFound, meta.Code);
        Assert.Equal(["orders.csv"], (await shop.ListAsync("file_demo", "", 0, "", CancellationToken.None)).Files.Select(file => file.Name));
    }

    [Fact]
    public async Task ListAsync_PageSize_PagesWithMarkerUntilNotTruncated()
    {
        var files = Manager("shop");
        foreach (var name in new[] { "logs/3", "logs/1", "logs/2", "other" })
        {
            await files.PutAsync("file_demo", name, NoMetadata, FileContent.Chunks([1], 1), CancellationToken.None);
        }

        var first = await files.ListAsync("file_demo", "logs", 2, "", CancellationToken.None);
        var second = await files.ListAsync("file_demo", "logs/", 2, first.Marker, CancellationToken.None);

        Assert.Equal(["logs/1", "logs/2"], first.Files.Select(file => file.Name));
        Assert.Equal(("logs/2", true), (first.Marker, first.IsTruncated));
        Assert.Equal(["logs/3"], second.Files.Select(file => file.Name));
        Assert.Equal(("logs/3", false), (second.Marker, second.IsTruncated));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(FileManager.MaxPageSize + 1)]
    public async Task ListAsync_PageSizeOutOfBounds_IsInvalidArgument(int pageSize)
    {
        var refused = await Assert.ThrowsAsync<RuntimeException>(() => Manager("shop").ListAsync("file_demo", "", pageSize, "", CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, refused.Code);
    }

    [Fact]
    public async Task ListAsync_MarkerOutsideTheScope_IsInvalidArgument()
    {
        var refused = await Assert.ThrowsAsync<RuntimeException>(() => Manager("shop").ListAsync("file_demo", "", 0, "../billing/a", CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, refused.Code);
        Assert.StartsWith("marker ", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutAsync_OverMaxFileBytes_IsInvalidArgumentAndStoresNothing()
    {
        var files = Manager("shop", new() { [FileStoreMetadata.MaxFileBytes] = "1000" });

        var refused = await Assert.ThrowsAsync<RuntimeException>(() =>
            files.PutAsync("file_demo", "big", NoMetadata, FileContent.Chunks(FileContent.Bytes(1001), 300), CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, refused.Code);
        Assert.Contains("BusRuntime:Components[file_demo]:Metadata:maxFileBytes", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RuntimeException>(() => files.GetMetaAsync("file_demo", "big", CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_TooMuchMetadata_IsInvalidArgument()
    {
        var metadata = Enumerable.Range(0, 65).ToDictionary(index => $"k{index}", _ => "v");

        var refused = await Assert.ThrowsAsync<RuntimeException>(() =>
            Manager("shop").PutAsync("file_demo", "a", metadata, FileContent.Chunks([1], 1), CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, refused.Code);
    }

    [Fact]
    public async Task GetMetaAsync_StoredFile_NamesItAsTheAppDoes()
    {
        var files = Manager("shop");
        await files.PutAsync("file_demo", "a/b.txt", NoMetadata, FileContent.Chunks([1, 2, 3], 2), CancellationToken.None);

        var meta = await files.GetMetaAsync("file_demo", "a/b.txt", CancellationToken.None);

        Assert.Equal(("a/b.txt", 3L), (meta.Name, meta.Size));
        Assert.True(File.Exists(Path.Join(root, "files", "shop", "a", "b.txt")));
    }

    private FileManager Manager(string appId, Dictionary<string, string>? metadata = null)
    {
        var component = new ComponentOptions { Name = "file_demo", Type = ComponentTypes.FileLocal, Metadata = new(metadata ?? [], StringComparer.OrdinalIgnoreCase) };
        var stores = new NamedStores<IFileStore>(
            ComponentKind.File, [component], [new StoreFactory<IFileStore>(ComponentTypes.FileLocal, _ => new LocalFileStore(root))], appId);
        var options = Options.Create(new RuntimeOptions { AppId = appId });
        return new FileManager(stores, new StoreMetrics(services.GetRequiredService<IMeterFactory>(), TimeProvider.System, options));
    }
}
