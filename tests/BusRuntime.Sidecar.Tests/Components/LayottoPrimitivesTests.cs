using BusRuntime.Core.Bindings;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Files;
using BusRuntime.Core.Hello;
using BusRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Sidecar.Tests.Components;

/// <summary>The primitives Layotto adds, as a sidecar has them out of the box and as configuration declares them.</summary>
public sealed class LayottoPrimitivesTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("busruntime-files-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task EmbeddedSidecar_NoComponentsDeclared_HasFileDemoInTheFilesDirectoryAndQuickStartDemo()
    {
        await using var sidecar = await TestSidecar.StartAsync("shop", new Dictionary<string, string?> { ["BusRuntime:FilesDirectory"] = directory });
        var files = sidecar.Services.GetRequiredService<FileManager>();

        await files.PutAsync("file_demo", "hello.txt", new Dictionary<string, string>(), Chunks([104, 105]), CancellationToken.None);
        var greeting = await sidecar.Services.GetRequiredService<HelloManager>().SayHelloAsync("quick_start_demo", "eva", CancellationToken.None);

        Assert.Equal([104, 105], await File.ReadAllBytesAsync(Path.Join(directory, "files", "shop", "hello.txt")));
        Assert.Equal("greeting, eva", greeting);
    }

    [Fact]
    public async Task EmbeddedSidecar_NoBindingDeclared_HasNone()
    {
        await using var sidecar = await TestSidecar.StartAsync("shop", new Dictionary<string, string?> { ["BusRuntime:FilesDirectory"] = directory });

        var refused = await Assert.ThrowsAsync<RuntimeException>(() => sidecar.Services.GetRequiredService<BindingInvoker>()
            .InvokeAsync("webhook", "post", default, new Dictionary<string, string>(), CancellationToken.None));

        Assert.Equal(ErrorCode.ComponentNotFound, refused.Code);
        Assert.Equal("name 'webhook' is not a configured binding component; none is configured (BusRuntime:Components).", refused.Message);
    }

    [Fact]
    public async Task Sidecar_ComponentsDeclared_ServesThemByName()
    {
        await using var sidecar = await TestSidecar.StartAsync("shop", new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "blobs",
            ["BusRuntime:Components:0:Type"] = "file.local",
            ["BusRuntime:Components:0:Metadata:rootPath"] = directory,
            ["BusRuntime:Components:1:Name"] = "webhook",
            ["BusRuntime:Components:1:Type"] = "bindings.http",
            ["BusRuntime:Components:1:Metadata:url"] = "http://127.0.0.1:1/hooks",
            ["BusRuntime:Components:2:Name"] = "greeter",
            ["BusRuntime:Components:2:Type"] = "hello.helloworld",
            ["BusRuntime:Components:2:Metadata:hello"] = "hi",
        });

        await sidecar.Services.GetRequiredService<FileManager>().PutAsync("blobs", "a", new Dictionary<string, string>(), Chunks([1]), CancellationToken.None);
        var unreachable = await Assert.ThrowsAsync<RuntimeException>(() => sidecar.Services.GetRequiredService<BindingInvoker>()
            .InvokeAsync("webhook", "get", default, new Dictionary<string, string>(), CancellationToken.None));

        Assert.True(File.Exists(Path.Join(directory, "files", "shop", "a")));
        Assert.Equal(ErrorCode.Unavailable, unreachable.Code);
        Assert.Equal("hi, eva", await sidecar.Services.GetRequiredService<HelloManager>().SayHelloAsync("greeter", "eva", CancellationToken.None));
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Chunks(byte[] data)
    {
        await Task.Yield();
        yield return data;
    }
}
