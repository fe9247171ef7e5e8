using BusRuntime.Protos.Layotto.Runtime.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Sidecar.Tests.Layotto;

/// <summary>
/// Layotto's file rpcs against the embedded default "file_demo" (file.local in a directory of the test's own), SayHello
/// against "quick_start_demo", and InvokeBinding against a bindings.http component calling a Kestrel endpoint.
/// </summary>
public sealed class LayottoFilesHelloBindingApiTests : IAsyncLifetime
{
    private const string Files = "file_demo";

    private readonly string directory = Path.Combine(Path.GetTempPath(), $"busruntime-layotto-{Guid.NewGuid():N}");
    private WebApplication? hook;
    private TestSidecar? sidecar;
    private GrpcChannel? channel;

    private Runtime.RuntimeClient Layotto { get; set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        hook = builder.Build();
        hook.MapPost("/hooks/{id}", async (HttpContext context, string id) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            await context.Response.WriteAsync($"{id}:{await reader.ReadToEndAsync()}");
        });
        await hook.StartAsync();
        var url = hook.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        sidecar = await TestSidecar.StartAsync("layotto-files", new Dictionary<string, string?>
        {
            ["BusRuntime:FilesDirectory"] = directory,
            ["BusRuntime:Components:0:Name"] = "hooks",
            ["BusRuntime:Components:0:Type"] = "bindings.http",
            ["BusRuntime:Components:0:Metadata:url"] = $"{url}/hooks",
        });
        (channel, Layotto) = LayottoSidecar.ClientFor(sidecar);
    }

    public async Task DisposeAsync()
    {
        channel?.Dispose();
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }

        if (hook is not null)
        {
            await hook.DisposeAsync();
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task PutFileThenGetFileAndGetFileMeta_ThreeChunks_SameBytesSizeAndMetadata()
    {
        var content = Enumerable.Range(0, 200_000).Select(index => (byte)(index % 251)).ToArray();
        using (var put = Layotto.PutFile())
        {
            await put.RequestStream.WriteAsync(new PutFileRequest { StoreName = Files, Name = "reports/q1.bin", Data = ByteString.CopyFrom(content, 0, 70_000), Metadata = { ["owner"] = "ana" } });
            await put.RequestStream.WriteAsync(new PutFileRequest { Data = ByteString.CopyFrom(content, 70_000, 70_000) });
            await put.RequestStream.WriteAsync(new PutFileRequest { Data = ByteString.CopyFrom(content, 140_000, 60_000) });
            await put.RequestStream.CompleteAsync();
            await put;
        }

        using var get = Layotto.GetFile(new GetFileRequest { StoreName = Files, Name = "reports/q1.bin" });
        var read = new MemoryStream();
        var chunks = 0;
        while (await get.ResponseStream.MoveNext(CancellationToken.None))
        {
            get.ResponseStream.Current.Data.WriteTo(read);
            chunks++;
        }

        var meta = await Layotto.GetFileMetaAsync(new GetFileMetaRequest { Request = new FileRequest { StoreName = Files, Name = "reports/q1.bin" } });

        Assert.Equal(content, read.ToArray());
        Assert.True(chunks > 1, $"{chunks} chunk(s)");
        Assert.Equal(content.Length, meta.Size);
        Assert.True(DateTimeOffset.TryParse(meta.LastModified, out _), meta.LastModified);
    }

    [Fact]
    public async Task ListFile_FivePagesOfTwo_MarkerPagingUntilNotTruncated()
    {
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await PutAsync($"list/{name}.txt", name);
        }

        var names = new List<string>();
        var marker = "";
        var pages = 0;
        ListFileResp page;
        do
        {
            page = await Layotto.ListFileAsync(new ListFileRequest { Request = new FileRequest { StoreName = Files, Name = "list" }, PageSize = 2, Marker = marker });
            names.AddRange(page.Files.Select(file => file.FileName));
            marker = page.Marker;
            pages++;
        }
        while (page.IsTruncated && pages < 10);

        Assert.Equal(["list/a.txt", "list/b.txt", "list/c.txt", "list/d.txt", "list/e.txt"], names);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task DelFile_ThenGetFileMeta_NotFound()
    {
        await PutAsync("gone.txt", "x");

        await Layotto.DelFileAsync(new DelFileRequest { Request = new FileRequest { StoreName = Files, Name = "gone.txt" } });
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Layotto.GetFileMetaAsync(new GetFileMetaRequest { Request = new FileRequest { StoreName = Files, Name = "gone.txt" } }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/etc/passwd")]
    public async Task PutFile_PathOutsideTheApp_InvalidArgumentFromTheClientStream(string name)
    {
        using var put = Layotto.PutFile();
        await put.RequestStream.WriteAsync(new PutFileRequest { StoreName = Files, Name = name, Data = ByteString.CopyFromUtf8("x") });
        await put.RequestStream.CompleteAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await put);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task GetFile_UnknownStore_InvalidArgumentAsLayottoAnswers()
    {
        using var get = Layotto.GetFile(new GetFileRequest { StoreName = "oss", Name = "a.txt" });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await get.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("oss", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SayHello_QuickStartDemo_GreetingWithTheNameAndTheDataBack()
    {
        var response = await Layotto.SayHelloAsync(new SayHelloRequest { ServiceName = "quick_start_demo", Name = "layotto", Data = Any.Pack(new StringValue { Value = "echo" }) });

        Assert.Equal("greeting, layotto", response.Hello);
        Assert.Equal("echo", response.Data.Unpack<StringValue>().Value);
    }

    [Fact]
    public async Task SayHello_UnknownService_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Layotto.SayHelloAsync(new SayHelloRequest { ServiceName = "nobody", Name = "x" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("nobody", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeBinding_HttpBindingCreate_PostsTheDataAndAnswersTheBody()
    {
        var response = await Layotto.InvokeBindingAsync(new InvokeBindingRequest
        {
            Name = "hooks",
            Operation = "create",
            Data = ByteString.CopyFromUtf8("order 7"),
            Metadata = { ["path"] = "/o7" },
        });

        Assert.Equal("o7:order 7", response.Data.ToStringUtf8());
    }

    [Fact]
    public async Task InvokeBinding_UnknownOperation_InvalidArgumentNamingTheOperations()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Layotto.InvokeBindingAsync(new InvokeBindingRequest { Name = "hooks", Operation = "explode" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("explode", error.Status.Detail, StringComparison.Ordinal);
    }

    private async Task PutAsync(string name, string content)
    {
        using var put = Layotto.PutFile();
        await put.RequestStream.WriteAsync(new PutFileRequest { StoreName = Files, Name = name, Data = ByteString.CopyFromUtf8(content) });
        await put.RequestStream.CompleteAsync();
        await put;
    }
}
