using System.Net;
using BusRuntime.Protos.Dapr.Common.V1;
using BusRuntime.Sidecar.Tests.Dapr;
using BusRuntime.Testing;
using Grpc.Core;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;
using DaprInvokeRequest = BusRuntime.Protos.Dapr.Common.V1.InvokeRequest;
using DaprInvokeServiceRequest = BusRuntime.Protos.Dapr.Runtime.V1.InvokeServiceRequest;
using InvokeServiceRequest = BusRuntime.Protos.V1.InvokeServiceRequest;

namespace BusRuntime.Sidecar.Tests.Security;

/// <summary>
/// Access control checked by the target's sidecar, here one that calls its own app (the in-memory bus reaches no
/// other): the app "billing" lets itself call GET orders/* and nothing else. Two sidecars on RabbitMQ are in the
/// integration tests.
/// </summary>
public sealed class InvokeAccessControlTests
{
    private const string AppId = "billing";

    private static readonly Dictionary<string, string?> Restricted = new()
    {
        ["BusRuntime:AccessControl:DefaultAction"] = "deny",
        ["BusRuntime:AccessControl:Policies:0:AppId"] = AppId,
        ["BusRuntime:AccessControl:Policies:0:DefaultAction"] = "deny",
        ["BusRuntime:AccessControl:Policies:0:Operations:0:Name"] = "/orders/*",
        ["BusRuntime:AccessControl:Policies:0:Operations:0:HttpVerb:0"] = "GET",
        ["BusRuntime:AccessControl:Policies:0:Operations:0:Action"] = "allow",
    };

    private const string Refusal =
        "app 'billing' does not let app 'billing' call method 'refunds/7' with POST: denied by BusRuntime:AccessControl:Policies:0:DefaultAction of its access control.";

    [Fact]
    public async Task InvokeService_DeniedMethod_PermissionDeniedOnBothGrpcApisAndTheAppIsNotCalled()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync(AppId, Restricted, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using var _ = channel;

        var ours = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = AppId, Method = "refunds/7", HttpVerb = "POST" }, deadline: DateTime.UtcNow.AddSeconds(30)));
        var daprs = await Assert.ThrowsAsync<RpcException>(async () => await dapr.InvokeServiceAsync(
            new DaprInvokeServiceRequest { Id = AppId, Message = new DaprInvokeRequest { Method = "refunds/7", HttpExtension = new HTTPExtension { Verb = HTTPExtension.Types.Verb.Post } } },
            deadline: DateTime.UtcNow.AddSeconds(30)));

        Assert.Equal(StatusCode.PermissionDenied, ours.StatusCode);
        Assert.Equal(Refusal, ours.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, daprs.StatusCode);
        Assert.Equal(Refusal, daprs.Status.Detail);
        Assert.Empty(app.Received);
    }

    [Fact]
    public async Task InvokeService_AllowedMethodAndVerb_ReachesTheApp()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync(AppId, Restricted, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        await sidecar.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = AppId, Method = "orders/7", HttpVerb = "GET" }, deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.Equal("orders/7", Assert.Single(app.Received).Request.Method);
    }

    [Fact]
    public async Task InvokeService_TraversalOutOfAnAllowedPath_IsCleanedBeforeTheCheckAndDenied()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync(AppId, Restricted, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = AppId, Method = "orders/../admin", HttpVerb = "GET" }, deadline: DateTime.UtcNow.AddSeconds(30)));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("call method 'admin' with GET", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(app.Received);
    }

    [Fact]
    public async Task HttpInvoke_DeniedMethod_Returns403DirectInvokeAndTheAppIsNotCalled()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync(AppId, Restricted, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        using var denied = await sidecar.Http.PostAsync(Path($"/v1.0/invoke/{AppId}/method/refunds/7"), Json("{}"));
        using var allowed = await sidecar.Http.GetAsync(Path($"/v1.0/invoke/{AppId}/method/orders/7"));

        await AssertErrorAsync(denied, HttpStatusCode.Forbidden, "ERR_DIRECT_INVOKE", Refusal);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("orders/7", Assert.Single(app.Received).Request.Method);
    }

    [Fact]
    public async Task InvokeService_MethodWithAQuery_InvalidArgumentAtTheCaller()
    {
        await using var sidecar = await TestSidecar.StartAsync(AppId);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = AppId, Method = "orders?id=7" }, deadline: DateTime.UtcNow.AddSeconds(30)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("method contains '?' at position 6; a method is a path without query or fragment.", error.Status.Detail);
    }

    [Theory]
    [InlineData("BusRuntime:AccessControl:DefaultAction", "block", "BusRuntime:AccessControl:DefaultAction 'block' is not one of: allow, deny.")]
    [InlineData("BusRuntime:AccessControl:Policies:0:Namespce", "default", "BusRuntime:AccessControl:Policies:0:Namespce is not a setting of an access control policy")]
    [InlineData("BusRuntime:AccessControl:Policies:0:TrustDomain", "myDomain", "BusRuntime:AccessControl:Policies:0:TrustDomain 'myDomain' is not the deployment's trust domain 'public'")]
    public async Task Start_BadAccessControl_FailsNamingTheKey(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?> { ["BusRuntime:AccessControl:Policies:0:AppId"] = "shop", [key] = value };

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestSidecar.StartAsync(AppId, settings));

        Assert.Contains(error.Failures, failure => failure.StartsWith(message, StringComparison.Ordinal));
    }
}
