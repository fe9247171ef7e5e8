using System.Net;
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
    private readonly WebhookTarget target = WebhookTarget.Start();
    private TestSidecar? sidecar;

    public async Task InitializeAsync() => sidecar = await TestSidecar.StartAsync("sdk-bindings", target.WebhookBinding());

    public async Task DisposeAsync()
    {
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }

        target.Dispose();
    }

    [Fact]
    public async Task InvokeBindingAsync_Post_TargetGetsTheDataAndTheAppGetsItsAnswerAndStatus()
    {
        using var dapr = SdkClients.For(sidecar!);
        var served = target.ServeOnceAsync(HttpStatusCode.Created, "{\"id\":7}");
        var request = new BindingRequest("webhook", "post") { Data = Encoding.UTF8.GetBytes("{\"n\":1}") };
        request.Metadata["path"] = "/orders";

        var response = await dapr.InvokeBindingAsync(request);
        var received = await served.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(("POST", "/hooks/orders", "{\"n\":1}"), (received.Method, received.Path, received.Text));
        Assert.Equal("{\"id\":7}", Encoding.UTF8.GetString(response.Data.Span));
        Assert.Equal("201", response.Metadata["statusCode"]);
    }

    [Fact]
    public async Task InvokeBindingAsync_TypedCreate_TargetGetsTheObjectAsJson()
    {
        using var dapr = SdkClients.For(sidecar!);
        var served = target.ServeOnceAsync(HttpStatusCode.OK, "");

        await dapr.InvokeBindingAsync("webhook", "create", new { Id = 1 });
        var received = await served.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(("POST", "/hooks", "{\"id\":1}"), (received.Method, received.Path, received.Text));
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
}
