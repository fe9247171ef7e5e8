using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HttpExtension = BusRuntime.Protos.Dapr.Common.V1.HTTPExtension;
using InvokeRequest = BusRuntime.Protos.Dapr.Common.V1.InvokeRequest;
using InvokeResponse = BusRuntime.Protos.Dapr.Common.V1.InvokeResponse;

namespace BusRuntime.Sidecar.Tests.Dapr;

/// <summary>Dapr's InvokeService mapped onto the invoke primitive; on the in-memory bus a sidecar reaches its own app.</summary>
public sealed class DaprInvokeApiTests
{
    [Fact]
    public async Task InvokeService_MessageWithHttpExtensionAndPackedData_TargetGetsThemAndCallerGetsThePackedAnswer()
    {
        await using var app = await InvokeApp.StartAsync();
        app.Respond = (request, _) => Task.FromResult(new InvokeResponse { Data = Any.Pack(new Int32Value { Value = 7 }), ContentType = "application/grpc" });
        await using var sidecar = await TestSidecar.StartAsync("dapr-orders", appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using (channel)
        {
            var response = await dapr.InvokeServiceAsync(new InvokeServiceRequest
            {
                Id = "dapr-orders",
                Message = new InvokeRequest
                {
                    Method = "count",
                    Data = Any.Pack(new StringValue { Value = "lines" }),
                    ContentType = "application/grpc",
                    HttpExtension = new HttpExtension { Verb = HttpExtension.Types.Verb.Get, Querystring = "page=2" },
                },
            }, deadline: DateTime.UtcNow.AddSeconds(30));

            Assert.Equal(7, response.Data.Unpack<Int32Value>().Value);
            Assert.Equal("application/grpc", response.ContentType);
            var received = Assert.Single(app.Received).Request;
            Assert.Equal("count", received.Method);
            Assert.Equal("lines", received.Data.Unpack<StringValue>().Value);
            Assert.Equal(HttpExtension.Types.Verb.Get, received.HttpExtension.Verb);
            Assert.Equal("page=2", received.HttpExtension.Querystring);
        }
    }

    [Fact]
    public async Task InvokeService_CallerHeaders_ReachTheTargetButNotTheApiToken()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("dapr-headers", new Dictionary<string, string?> { ["BusRuntime:ApiToken"] = "t0k" }, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using (channel)
        {
            await dapr.InvokeServiceAsync(
                new InvokeServiceRequest { Id = "dapr-headers", Message = new InvokeRequest { Method = "who" } },
                new Metadata { { "x-tenant", "acme" }, { "dapr-api-token", "t0k" } },
                deadline: DateTime.UtcNow.AddSeconds(30));

            var received = Assert.Single(app.Received);
            Assert.Equal("acme", received.Headers["x-tenant"]);
            Assert.False(received.Headers.ContainsKey("dapr-api-token"));
        }
    }

    [Fact]
    public async Task InvokeService_PlainBytes_ArriveWithoutTypeUrl()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("dapr-echo", appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using (channel)
        {
            var response = await dapr.InvokeServiceAsync(new InvokeServiceRequest
            {
                Id = "dapr-echo",
                Message = new InvokeRequest { Method = "echo", Data = new Any { Value = ByteString.CopyFrom(0, 1, 255) }, ContentType = "application/octet-stream" },
            }, deadline: DateTime.UtcNow.AddSeconds(30));

            Assert.Equal(new byte[] { 0, 1, 255 }, response.Data.Value.ToByteArray());
            Assert.Equal("", response.Data.TypeUrl);
            Assert.Null(Assert.Single(app.Received).Request.HttpExtension);
        }
    }

    [Fact]
    public async Task InvokeService_TargetFailsWithItsStatus_StatusPassesThrough()
    {
        await using var app = await InvokeApp.StartAsync();
        app.Respond = (_, _) => throw new RpcException(new global::Grpc.Core.Status(StatusCode.PermissionDenied, "not yours"));
        await using var sidecar = await TestSidecar.StartAsync("dapr-guarded", appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using (channel)
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await dapr.InvokeServiceAsync(
                new InvokeServiceRequest { Id = "dapr-guarded", Message = new InvokeRequest { Method = "secret" } }, deadline: DateTime.UtcNow.AddSeconds(30)));

            Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
            Assert.Equal("not yours", error.Status.Detail);
        }
    }

    [Theory]
    [InlineData("", "m", true, "id is empty")]
    [InlineData("app", "", true, "method is empty")]
    [InlineData("bad.app", "m", true, "app_id 'bad.app' must match")]
    [InlineData("app", "m", false, "message is missing")]
    public async Task InvokeService_BadRequest_InvalidArgumentNamingTheField(string id, string method, bool withMessage, string message)
    {
        await using var sidecar = await TestSidecar.StartAsync("dapr-caller");
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using (channel)
        {
            var request = new InvokeServiceRequest { Id = id, Message = withMessage ? new InvokeRequest { Method = method } : null };

            var error = await Assert.ThrowsAsync<RpcException>(async () => await dapr.InvokeServiceAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)));

            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
        }
    }
}
