using BusRuntime.Contracts;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Invoke;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Core.Tests.Invoke;

public sealed class ServiceInvokerTests
{
    private static readonly Dictionary<string, string> NoMetadata = [];

    [Fact]
    public async Task InvokeAsync_OwnAppServed_SendsOneRequestToItsExchangeAndReturnsTheAnswer()
    {
        await using var core = await CoreHarness.StartAsync();
        var handler = new RecordingInvokeHandler { Answer = request => new InvokeResponse { Data = [.. request.Data, 9], ContentType = "text/plain", Headers = new Dictionary<string, string> { ["x-by"] = "orders" } } };
        await using var serving = await core.Get<InvokeServer>().ServeAsync(handler, CancellationToken.None);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);

        var response = await core.Get<ServiceInvoker>().InvokeAsync(
            new InvokeCall("orders", "orders/7", new byte[] { 1, 2 }, "application/octet-stream", "put", "a=1", new Dictionary<string, string> { ["tenant"] = "acme" }),
            deadline,
            CancellationToken.None);

        Assert.Equal([1, 2, 9], response.Data);
        Assert.Equal("orders", response.Headers["x-by"]);
        var sent = await core.Harness.Sent.SelectAsync<InvokeRequest>().SingleAsync();
        Assert.EndsWith(InvokeNames.Exchange("orders"), sent.Context.DestinationAddress!.AbsolutePath, StringComparison.Ordinal);
        var request = Assert.Single(handler.Received);
        Assert.Equal("orders", request.Source);
        Assert.Equal("orders/7", request.Method);
        Assert.Equal("PUT", request.HttpVerb);
        Assert.Equal("a=1", request.QueryString);
        Assert.Equal("acme", request.Metadata["tenant"]);
        Assert.Equal(deadline, request.ExpiresAt);
    }

    [Fact]
    public async Task InvokeAsync_CallerSetNoDeadline_ExpiresAfterTheDefaultTimeout()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:Invoke:DefaultTimeout"] = "00:01:07" }, clock);
        var handler = new RecordingInvokeHandler();
        await using var serving = await core.Get<InvokeServer>().ServeAsync(handler, CancellationToken.None);

        await core.Get<ServiceInvoker>().InvokeAsync(new InvokeCall("orders", "m", Array.Empty<byte>(), "", "", "", NoMetadata), null, CancellationToken.None);

        // A minute and more: the request's own timeout runs on the real clock, which a loaded machine can make slow.
        Assert.Equal(clock.GetUtcNow().AddSeconds(67), Assert.Single(handler.Received).ExpiresAt);
    }

    [Fact]
    public async Task InvokeAsync_TargetHasAnAttemptTimeout_RequestExpiresWhenTheAttemptDoes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:Invoke:Targets:orders:Timeout"] = "00:00:02" }, clock);
        var handler = new RecordingInvokeHandler();
        await using var serving = await core.Get<InvokeServer>().ServeAsync(handler, CancellationToken.None);

        await core.Get<ServiceInvoker>().InvokeAsync(new InvokeCall("orders", "m", Array.Empty<byte>(), "", "", "", NoMetadata), clock.GetUtcNow().AddSeconds(30), CancellationToken.None);
        await core.Get<ServiceInvoker>().InvokeAsync(new InvokeCall("orders", "m", Array.Empty<byte>(), "", "", "", NoMetadata), clock.GetUtcNow().AddSeconds(1), CancellationToken.None);

        Assert.Equal([clock.GetUtcNow().AddSeconds(2), clock.GetUtcNow().AddSeconds(1)], handler.Received.Select(request => request.ExpiresAt));
    }

    [Fact]
    public async Task InvokeAsync_TargetAnswersWithAStatus_ThrowsItUnchanged()
    {
        await using var core = await CoreHarness.StartAsync();
        var handler = new RecordingInvokeHandler { Answer = _ => new InvokeResponse { StatusCode = 9, StatusMessage = "order is closed", Trailers = new Dictionary<string, string> { ["x-state"] = "closed" } } };
        await using var serving = await core.Get<InvokeServer>().ServeAsync(handler, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvokeStatusException>(() => core.Get<ServiceInvoker>().InvokeAsync(
            new InvokeCall("orders", "m", Array.Empty<byte>(), "", "", "", NoMetadata), DateTimeOffset.UtcNow.AddSeconds(20), CancellationToken.None));

        Assert.Equal(9, error.Response.StatusCode);
        Assert.Equal("order is closed", error.Message);
        Assert.Equal("closed", error.Response.Trailers["x-state"]);
    }

    [Fact]
    public async Task InvokeAsync_NobodyServes_UnavailableAndNothingSent()
    {
        await using var core = await CoreHarness.StartAsync();

        var error = await Assert.ThrowsAsync<RuntimeException>(() => core.Get<ServiceInvoker>().InvokeAsync(
            new InvokeCall("billing", "m", Array.Empty<byte>(), "", "", "", NoMetadata), DateTimeOffset.UtcNow.AddSeconds(20), CancellationToken.None));

        Assert.Equal(ErrorCode.Unavailable, error.Code);
        Assert.StartsWith("no replica of app 'billing' serves invocations", error.Message, StringComparison.Ordinal);
        Assert.False(await core.Harness.Sent.Any<InvokeRequest>());
    }

    [Fact]
    public async Task Consume_RequestAlreadyExpired_AppNotCalledAndNoAnswer()
    {
        await using var core = await CoreHarness.StartAsync();
        var handler = new RecordingInvokeHandler();
        await using var serving = await core.Get<InvokeServer>().ServeAsync(handler, CancellationToken.None);
        var exchange = await core.Harness.Bus.GetSendEndpoint(new Uri($"exchange:{InvokeNames.Exchange("orders")}"));

        await exchange.Send(new InvokeRequest { AppId = "orders", Method = "late", Source = "shop", ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) });

        // Asked again until a deadline: one Consumed.Any() gives up when the bus looks idle, which a loaded machine can fake.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await core.Harness.Consumed.Any<InvokeRequest>())
        {
            Assert.True(DateTime.UtcNow < deadline, "the expired request was never consumed");
            await Task.Delay(50);
        }

        Assert.Empty(handler.Received);
        Assert.False(await core.Harness.Sent.Any<InvokeResponse>());
    }

    [Fact]
    public async Task Consume_HandlerThrows_AnswersInternalNamingTheApp()
    {
        await using var core = await CoreHarness.StartAsync();
        var handler = new RecordingInvokeHandler { Answer = _ => throw new InvalidOperationException("channel broken") };
        await using var serving = await core.Get<InvokeServer>().ServeAsync(handler, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvokeStatusException>(() => core.Get<ServiceInvoker>().InvokeAsync(
            new InvokeCall("orders", "m", Array.Empty<byte>(), "", "", "", NoMetadata), DateTimeOffset.UtcNow.AddSeconds(20), CancellationToken.None));

        Assert.Equal(InvokeStatus.Internal, error.Response.StatusCode);
        Assert.Equal("the sidecar of app 'orders' could not call it: channel broken", error.Message);
    }

    [Fact]
    public async Task ServeAsync_Twice_Refused()
    {
        await using var core = await CoreHarness.StartAsync();
        var server = core.Get<InvokeServer>();
        await using var serving = await server.ServeAsync(new RecordingInvokeHandler(), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => server.ServeAsync(new RecordingInvokeHandler(), CancellationToken.None));
        Assert.True(server.Serves("orders"));
        Assert.False(server.Serves("billing"));
    }
}
