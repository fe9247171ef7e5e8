using System.Diagnostics.Metrics;
using System.Text;
using BusRuntime.Bindings;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Tests.Bindings;

/// <summary>bindings.http through the bindings primitive, against a real Kestrel endpoint on a free port.</summary>
public sealed class HttpOutputBindingTests : IAsyncLifetime
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private WebApplication? endpoint;
    private int adminCalls;

    private string BaseUrl => endpoint!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        endpoint = builder.Build();
        endpoint.MapPost("/hooks/orders/{id}", async (HttpContext context, string id) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            context.Response.StatusCode = 201;
            context.Response.Headers["x-order"] = id;
            await context.Response.WriteAsync($"{context.Request.Headers["x-tenant"]}:{body}");
        });
        endpoint.MapGet("/hooks/big", () => new string('x', 2000));
        endpoint.MapGet("/hooks/missing", () => Results.NotFound("no such hook"));
        endpoint.MapGet("/hooks/slow", async (CancellationToken aborted) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), aborted);
            return "late";
        });
        endpoint.MapGet("/admin", () =>
        {
            Interlocked.Increment(ref adminCalls);
            return "admin";
        });
        await endpoint.StartAsync();
    }

    public async Task DisposeAsync() => await endpoint!.DisposeAsync();

    [Fact]
    public async Task InvokeAsync_PostWithPathAndHeader_SendsThemAndAnswersBodyStatusAndHeaders()
    {
        var bindings = Bindings(new() { ["url"] = BaseUrl + "/hooks" });

        var response = await bindings.InvokeAsync(
            "webhook", "post", Encoding.UTF8.GetBytes("order 17"), new Dictionary<string, string> { ["path"] = "orders/17", ["x-tenant"] = "acme" }, CancellationToken.None);

        Assert.Equal("acme:order 17", Encoding.UTF8.GetString(response.Data.Span));
        Assert.Equal("201", response.Metadata["statusCode"]);
        Assert.Equal("17", response.Metadata["x-order"]);
    }

    [Fact]
    public async Task InvokeAsync_NotFoundAnswer_IsAnAnswerWithItsStatus()
    {
        var response = await Bindings(new() { ["url"] = BaseUrl + "/hooks" })
            .InvokeAsync("webhook", "get", default, new Dictionary<string, string> { ["path"] = "missing" }, CancellationToken.None);

        Assert.Equal("404", response.Metadata["statusCode"]);
    }

    [Theory]
    [InlineData("../admin")]
    [InlineData("http://127.0.0.1:1/admin")]
    [InlineData("orders/../../admin")]
    public async Task InvokeAsync_PathLeavingTheUrl_IsInvalidArgumentAndSendsNothing(string path)
    {
        var refused = await Assert.ThrowsAsync<RuntimeException>(() => Bindings(new() { ["url"] = BaseUrl + "/hooks" })
            .InvokeAsync("webhook", "get", default, new Dictionary<string, string> { ["path"] = path }, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, refused.Code);
        Assert.Equal(0, adminCalls);
    }

    [Fact]
    public async Task InvokeAsync_ResponseOverMaxResponseBytes_IsResourceExhausted()
    {
        var refused = await Assert.ThrowsAsync<RuntimeException>(() => Bindings(new() { ["url"] = BaseUrl + "/hooks", ["maxResponseBytes"] = "1000" })
            .InvokeAsync("webhook", "get", default, new Dictionary<string, string> { ["path"] = "big" }, CancellationToken.None));

        Assert.Equal(ErrorCode.ResourceExhausted, refused.Code);
        Assert.Contains("maxResponseBytes", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_EndpointSlowerThanTheTimeout_IsDeadlineExceeded()
    {
        var refused = await Assert.ThrowsAsync<RuntimeException>(() => Bindings(new() { ["url"] = BaseUrl + "/hooks", ["timeout"] = "00:00:00.300" })
            .InvokeAsync("webhook", "get", default, new Dictionary<string, string> { ["path"] = "slow" }, CancellationToken.None));

        Assert.Equal(ErrorCode.DeadlineExceeded, refused.Code);
    }

    [Fact]
    public async Task InvokeAsync_NothingListening_IsUnavailable()
    {
        var refused = await Assert.ThrowsAsync<RuntimeException>(() => Bindings(new() { ["url"] = "http://127.0.0.1:1/hooks" })
            .InvokeAsync("webhook", "get", default, NoMetadata, CancellationToken.None));

        Assert.Equal(ErrorCode.Unavailable, refused.Code);
    }

    [Fact]
    public async Task InvokeAsync_UnknownOperation_IsInvalidArgumentListingTheOperations()
    {
        var refused = await Assert.ThrowsAsync<RuntimeException>(() => Bindings(new() { ["url"] = BaseUrl })
            .InvokeAsync("webhook", "fetch", default, NoMetadata, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, refused.Code);
        Assert.Equal("operation 'fetch' is not one binding 'webhook' takes; it takes: create, get, head, post, put, patch, delete, options, trace.", refused.Message);
    }

    [Fact]
    public async Task InvokeAsync_UnknownBinding_IsComponentNotFound()
    {
        var refused = await Assert.ThrowsAsync<RuntimeException>(() => Bindings(new() { ["url"] = BaseUrl })
            .InvokeAsync("mailer", "post", default, NoMetadata, CancellationToken.None));

        Assert.Equal(ErrorCode.ComponentNotFound, refused.Code);
        Assert.Equal("name 'mailer' is not a configured binding component; configured: webhook.", refused.Message);
    }

    [Fact]
    public async Task InvokeAsync_DataOverMaxPayloadBytes_IsInvalidArgument()
    {
        var refused = await Assert.ThrowsAsync<RuntimeException>(() => Bindings(new() { ["url"] = BaseUrl }, maxPayloadBytes: 10)
            .InvokeAsync("webhook", "post", new byte[11], NoMetadata, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, refused.Code);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/x")]
    [InlineData("hooks")]
    [InlineData("http://127.0.0.1/x?token=1")]
    public void Create_BadUrl_ThrowsNamingTheKey(string url)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bindings(new() { ["url"] = url }));

        Assert.StartsWith("BusRuntime:Components[webhook]:Metadata:url ", error.Message, StringComparison.Ordinal);
    }

    private static BindingInvoker Bindings(Dictionary<string, string> metadata, int maxPayloadBytes = 4 * 1024 * 1024)
    {
        var component = new ComponentOptions { Name = "webhook", Type = ComponentTypes.BindingsHttp, Metadata = new(metadata, StringComparer.OrdinalIgnoreCase) };
        var runtime = Options.Create(new RuntimeOptions { AppId = "shop", MaxPayloadBytes = maxPayloadBytes });
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton(runtime)
            .AddSingleton(Options.Create(new ComponentsOptions { Components = [component] }))
            .AddBusRuntimeHttpBinding()
            .BuildServiceProvider();
        var stores = new NamedStores<IOutputBinding>(ComponentKind.Bindings, [component], services.GetServices<IStoreFactory<IOutputBinding>>(), "shop");
        return new BindingInvoker(stores, new StoreMetrics(services.GetRequiredService<IMeterFactory>(), TimeProvider.System, runtime), runtime);
    }
}
