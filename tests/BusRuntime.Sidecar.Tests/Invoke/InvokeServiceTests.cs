using System.Globalization;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;
using HttpExtension = BusRuntime.Protos.Dapr.Common.V1.HTTPExtension;

namespace BusRuntime.Sidecar.Tests.Invoke;

/// <summary>
/// InvokeService on the embedded default (in-memory bus): the bus is this one process, so a sidecar
/// reaches its own app and no other.
/// </summary>
public sealed class InvokeServiceTests
{
    [Fact]
    public async Task InvokeService_OwnAppServesOnInvoke_ReturnsItsAnswerWithDataContentTypeAndMetadataBothWays()
    {
        await using var app = await InvokeApp.StartAsync();
        app.Respond = async (request, context) =>
        {
            await context.WriteResponseHeadersAsync(new Metadata { { "x-answered-by", "orders-1" } });
            context.ResponseTrailers.Add("x-cost", "3");
            return InvokeApp.Answer(ByteString.CopyFrom([.. "reply:"u8, .. request.Data.Value.Span]), "text/plain");
        };
        await using var sidecar = await TestSidecar.StartAsync("orders", appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        byte[] payload = [0, 1, 2, 250, 255];

        using var call = sidecar.Runtime.InvokeServiceAsync(new InvokeServiceRequest
        {
            AppId = "orders",
            Method = "orders/42",
            Data = ByteString.CopyFrom([.. "x"u8, .. payload]),
            ContentType = "application/x-custom",
            HttpVerb = "get",
            QueryString = "expand=lines&page=2",
            Metadata = { ["tenant"] = "acme", ["x-request-id"] = "r-1" },
        }, deadline: DateTime.UtcNow.AddSeconds(30));
        var response = await call.ResponseAsync;
        var headers = await call.ResponseHeadersAsync;

        Assert.Equal([.. "reply:x"u8, .. payload], response.Data.ToByteArray());
        Assert.Equal("text/plain", response.ContentType);
        Assert.Equal("orders-1", headers.GetValue("x-answered-by"));
        Assert.Equal("3", call.GetTrailers().GetValue("x-cost"));
        var received = Assert.Single(app.Received);
        Assert.Equal("orders/42", received.Request.Method);
        Assert.Equal([.. "x"u8, .. payload], received.Request.Data.Value.ToByteArray());
        Assert.Equal("", received.Request.Data.TypeUrl);
        Assert.Equal("application/x-custom", received.Request.ContentType);
        Assert.Equal(HttpExtension.Types.Verb.Get, received.Request.HttpExtension.Verb);
        Assert.Equal("expand=lines&page=2", received.Request.HttpExtension.Querystring);
        Assert.Equal("acme", received.Headers["tenant"]);
        Assert.Equal("r-1", received.Headers["x-request-id"]);
        Assert.Equal("orders", received.Headers["dapr-caller-app-id"]);
    }

    [Fact]
    public async Task InvokeService_CallerSendsTraceParent_TargetAppIsCalledInTheSameTrace()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("traced-invoke", appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

        await sidecar.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = "traced-invoke", Method = "m" },
            new Metadata { { "traceparent", $"00-{traceId}-00f067aa0ba902b7-01" } },
            DateTime.UtcNow.AddSeconds(30));

        var traceParent = Assert.Single(app.Received).Headers["traceparent"];
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-01$", traceParent);
        Assert.DoesNotContain("00f067aa0ba902b7", traceParent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeService_DeadlineMonthsAway_AnsweredWithTheDeadlineCappedAtADay()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("patient", appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        var response = await sidecar.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = "patient", Method = "m", Data = ByteString.CopyFromUtf8("later") }, deadline: DateTime.UtcNow.AddDays(90));

        Assert.Equal("later", response.Data.ToStringUtf8());
        Assert.InRange(Assert.Single(app.Received).Deadline, DateTime.UtcNow.AddHours(23), DateTime.UtcNow.AddHours(25));
    }

    [Fact]
    public async Task InvokeService_NoHttpVerb_AppGetsNoHttpExtension()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("plain", appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        var response = await sidecar.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = "plain", Method = "ping", Data = ByteString.CopyFromUtf8("{}") });

        Assert.Equal("{}", response.Data.ToStringUtf8());
        Assert.Null(Assert.Single(app.Received).Request.HttpExtension);
    }

    [Theory]
    [InlineData("", "m", "", "app_id is empty; name the app to invoke.")]
    [InlineData("orders.v2", "m", "", "app_id 'orders.v2' must match ^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$ (letters, digits, '-' and '_', at most 48 characters).")]
    [InlineData("-orders", "m", "", "app_id '-orders' must match")]
    [InlineData("orders", "", "", "method is empty; name the method of app 'orders' to invoke.")]
    [InlineData("orders", "m", "FETCH", "http_verb 'FETCH' is not one of: GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH (or empty).")]
    public async Task InvokeService_BadRequest_InvalidArgumentNamingTheField(string appId, string method, string verb, string message)
    {
        await using var sidecar = await TestSidecar.StartAsync("invoke-bad");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = appId, Method = method, HttpVerb = verb }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(message, error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("grpc-timeout", "1S", "metadata key 'grpc-timeout' is reserved for the transport")]
    [InlineData("dapr-caller-app-id", "someone", "metadata key 'dapr-caller-app-id' is reserved for the transport")]
    [InlineData("trace-bin", "AAA=", "metadata key 'trace-bin' is reserved for the transport")]
    [InlineData("bad key", "v", "metadata key 'bad key' must consist of letters, digits, '-', '_' and '.'")]
    [InlineData("note", "caf\u00e9", "metadata['note'] must be printable ASCII")]
    public async Task InvokeService_MetadataThatCannotBeAHeader_InvalidArgumentNamingTheKey(string key, string value, string message)
    {
        await using var sidecar = await TestSidecar.StartAsync("invoke-metadata");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = "invoke-metadata", Method = "m", Metadata = { [key] = value } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(message, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeService_PayloadOverTheMaximum_InvalidArgumentNamingTheLimitAndTheAppIsNotCalled()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("invoke-large", new Dictionary<string, string?> { ["BusRuntime:MaxPayloadBytes"] = "1024" }, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = "invoke-large", Method = "m", Data = ByteString.CopyFrom(new byte[1025]) }));
        var atLimit = await sidecar.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = "invoke-large", Method = "m", Data = ByteString.CopyFrom(new byte[1024]) });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("data is 1025 bytes, over the maximum of 1024 bytes (BusRuntime:MaxPayloadBytes).", error.Status.Detail);
        Assert.Equal(1024, atLimit.Data.Length);
        Assert.Single(app.Received);
    }

    [Fact]
    public async Task InvokeService_AnswerOverTheMaximum_ResourceExhaustedNamingTheLimitInsteadOfTheData()
    {
        await using var app = await InvokeApp.StartAsync();
        app.Respond = (request, _) => Task.FromResult(InvokeApp.Answer(ByteString.CopyFrom(new byte[int.Parse(request.Method, CultureInfo.InvariantCulture)]), "application/octet-stream"));
        await using var sidecar = await TestSidecar.StartAsync("invoke-answer", new Dictionary<string, string?> { ["BusRuntime:MaxPayloadBytes"] = "1024" }, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await sidecar.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = "invoke-answer", Method = "1025" }));
        var atLimit = await sidecar.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = "invoke-answer", Method = "1024" });

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("the answer of app 'invoke-answer' to method '1025' is 1025 bytes, over the maximum of 1024 bytes (BusRuntime:MaxPayloadBytes of its sidecar).", error.Status.Detail);
        Assert.Equal(1024, atLimit.Data.Length);
    }

    [Fact]
    public async Task InvokeService_AnotherAppOnTheInMemoryBus_UnavailableNamingTheApp()
    {
        await using var sidecar = await TestSidecar.StartAsync("lonely");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = "billing", Method = "charge" }, deadline: DateTime.UtcNow.AddSeconds(30)));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.StartsWith("no replica of app 'billing' serves invocations", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeService_OwnAppWithoutAppPort_Unavailable()
    {
        await using var sidecar = await TestSidecar.StartAsync("no-port");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = "no-port", Method = "m" }, deadline: DateTime.UtcNow.AddSeconds(30)));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("app 'no-port'", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeService_AppFailsWithItsOwnStatus_CallerGetsThatStatusMessageAndTrailersUnchanged()
    {
        await using var app = await InvokeApp.StartAsync();
        app.Respond = (_, _) => throw new RpcException(new Status(StatusCode.NotFound, "order 42 does not exist"), new Metadata { { "x-reason", "deleted" } });
        await using var sidecar = await TestSidecar.StartAsync("failing", appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = "failing", Method = "orders/42" }, deadline: DateTime.UtcNow.AddSeconds(30)));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("order 42 does not exist", error.Status.Detail);
        Assert.Equal("deleted", error.Trailers.GetValue("x-reason"));
    }

    [Fact]
    public async Task InvokeService_AppSlowerThanTheCallersDeadline_DeadlineExceededAndTheAppGotThatDeadline()
    {
        await using var app = await InvokeApp.StartAsync();
        app.Respond = async (request, context) =>
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return InvokeApp.Answer(ByteString.Empty, "");
        };
        await using var sidecar = await TestSidecar.StartAsync("slow", appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        var deadline = DateTime.UtcNow.AddMilliseconds(800);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = "slow", Method = "m" }, deadline: deadline));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        var received = Assert.Single(app.Received);
        // The caller's deadline, give or take the time the call took to reach the app; not the 30 s default.
        Assert.InRange(received.Deadline, deadline.AddSeconds(-1), deadline.AddSeconds(1));
    }

    [Fact]
    public async Task InvokeService_NoDeadlineAndAppNeverAnswers_DeadlineExceededAfterTheDefaultTimeout()
    {
        await using var app = await InvokeApp.StartAsync();
        app.Respond = async (request, context) =>
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return InvokeApp.Answer(ByteString.Empty, "");
        };
        await using var sidecar = await TestSidecar.StartAsync("stuck", new Dictionary<string, string?> { ["BusRuntime:Invoke:DefaultTimeout"] = "00:00:00.500" }, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = "stuck", Method = "m" }));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal("app 'stuck' did not answer method 'm' within 0.5s (BusRuntime:Invoke:DefaultTimeout; the call set no deadline).", error.Status.Detail);
    }
}
