using System.Net;
using System.Net.Sockets;
using System.Text;
using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr;
using Dapr.Client;
using Grpc.Core;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>The Dapr .NET SDK's InvokeBindingAsync (Dapr's gRPC InvokeBinding) on a bindings.http component whose target is a listener of the test.</summary>
public sealed class BindingTests : IAsyncLifetime
{
    private readonly HttpListener target = new();
    private TestSidecar? sidecar;

    public async Task InitializeAsync()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        target.Prefixes.Add($"http://127.0.0.1:{port}/");
        target.Start();
        sidecar = await TestSidecar.StartAsync("sdk-bindings", new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "webhook",
            ["BusRuntime:Components:0:Type"] = "bindings.http",
            ["BusRuntime:Components:0:Metadata:url"] = $"http://127.0.0.1:{port}/hooks",
        });
    }

    public async Task DisposeAsync()
    {
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }

        target.Close();
    }

    [Fact]
    public async Task InvokeBindingAsync_Post_TargetGetsTheDataAndTheAppGetsItsAnswerAndStatus()
    {
        using var dapr = SdkClients.For(sidecar!);
        var served = ServeOnceAsync(HttpStatusCode.Created, "{\"id\":7}");
        var request = new BindingRequest("webhook", "post") { Data = Encoding.UTF8.GetBytes("{\"n\":1}") };
        request.Metadata["path"] = "/orders";

        var response = await dapr.InvokeBindingAsync(request);
        var (method, path, body) = await served.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(("POST", "/hooks/orders", "{\"n\":1}"), (method, path, body));
        Assert.Equal("{\"id\":7}", Encoding.UTF8.GetString(response.Data.Span));
        Assert.Equal("201", response.Metadata["statusCode"]);
    }

    [Fact]
    public async Task InvokeBindingAsync_TypedCreate_TargetGetsTheObjectAsJson()
    {
        using var dapr = SdkClients.For(sidecar!);
        var served = ServeOnceAsync(HttpStatusCode.OK, "");

        await dapr.InvokeBindingAsync("webhook", "create", new { Id = 1 });
        var (method, path, body) = await served.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(("POST", "/hooks", "{\"id\":1}"), (method, path, body));
    }

    [Fact]
    public async Task InvokeBindingAsync_UnknownBinding_InvalidArgumentNamingIt()
    {
        using var dapr = SdkClients.For(sidecar!);

        var error = await Assert.ThrowsAsync<DaprException>(() => dapr.InvokeBindingAsync("kafka-binding", "create", new { Id = 1 }));

        var rpc = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal(StatusCode.InvalidArgument, rpc.StatusCode);
        Assert.Contains("'kafka-binding' is not a configured binding", rpc.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeBindingAsync_OperationTheBindingDoesNotTake_InvalidArgumentListingItsOperations()
    {
        using var dapr = SdkClients.For(sidecar!);

        var error = await Assert.ThrowsAsync<DaprException>(() => dapr.InvokeBindingAsync("webhook", "fly", new { Id = 1 }));

        var rpc = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal(StatusCode.InvalidArgument, rpc.StatusCode);
        Assert.Contains("operation 'fly' is not one binding 'webhook' takes", rpc.Status.Detail, StringComparison.Ordinal);
    }

    private async Task<(string Method, string Path, string Body)> ServeOnceAsync(HttpStatusCode status, string answer)
    {
        var context = await target.GetContextAsync();
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        context.Response.StatusCode = (int)status;
        var bytes = Encoding.UTF8.GetBytes(answer);
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
        return (context.Request.HttpMethod, context.Request.Url!.AbsolutePath, body);
    }
}
