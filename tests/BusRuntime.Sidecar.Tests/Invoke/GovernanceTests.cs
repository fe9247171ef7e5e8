using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Invoke;

/// <summary>Retry, circuit breaker, timeout and concurrency limit per target, on a sidecar that calls its own app.</summary>
public sealed class GovernanceTests
{
    [Theory]
    [InlineData("GET", "orders/1", 2)]
    [InlineData("POST", "orders/1", 1)]
    [InlineData("POST", "lookup", 2)]
    public async Task InvokeService_AppUnavailableOnce_RetriedOnlyWhenIdempotent(string verb, string method, int expectedCalls)
    {
        await using var app = await InvokeApp.StartAsync();
        var calls = 0;
        app.Respond = (request, _) => Interlocked.Increment(ref calls) == 1
            ? throw new RpcException(new Status(StatusCode.Unavailable, "warming up"))
            : Task.FromResult(InvokeApp.Answer(ByteString.CopyFromUtf8("ok"), "text/plain"));
        await using var sidecar = await TestSidecar.StartAsync("retrying", new Dictionary<string, string?>
        {
            ["BusRuntime:Invoke:Defaults:RetryDelay"] = "00:00:00.010",
            ["BusRuntime:Invoke:Targets:retrying:IdempotentMethods:0"] = "lookup",
        }, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        var call = sidecar.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = "retrying", Method = method, HttpVerb = verb }, deadline: DateTime.UtcNow.AddSeconds(30));
        if (expectedCalls == 1)
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await call);
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            Assert.Equal("warming up", error.Status.Detail);
        }
        else
        {
            Assert.Equal("ok", (await call).Data.ToStringUtf8());
        }

        Assert.Equal(expectedCalls, app.Received.Count);
    }

    [Fact]
    public async Task InvokeService_TargetKeepsFailing_BreakerOpensFailsFastThenAProbeClosesIt()
    {
        await using var app = await InvokeApp.StartAsync();
        var healthy = false;
        app.Respond = (request, _) => Volatile.Read(ref healthy)
            ? Task.FromResult(InvokeApp.Answer(ByteString.CopyFromUtf8("ok"), "text/plain"))
            : throw new RpcException(new Status(StatusCode.Internal, "database down"));
        await using var sidecar = await TestSidecar.StartAsync("breaking", new Dictionary<string, string?>
        {
            ["BusRuntime:Invoke:Targets:breaking:BreakerFailureRatio"] = "1",
            ["BusRuntime:Invoke:Targets:breaking:BreakerMinimumThroughput"] = "3",
            ["BusRuntime:Invoke:Targets:breaking:BreakDuration"] = "00:00:03",
        }, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        var request = new InvokeServiceRequest { AppId = "breaking", Method = "m" };

        for (var i = 0; i < 3; i++)
        {
            var failure = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)));
            Assert.Equal(StatusCode.Internal, failure.StatusCode);
        }

        var rejected = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)));
        Assert.Equal(StatusCode.Unavailable, rejected.StatusCode);
        Assert.StartsWith("the circuit breaker for app 'breaking' is open", rejected.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(3, app.Received.Count);

        Volatile.Write(ref healthy, true);
        string? answer = null;
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    answer = (await sidecar.Runtime.InvokeServiceAsync(request, deadline: DateTime.UtcNow.AddSeconds(30))).Data.ToStringUtf8();
                    return true;
                }
                catch (RpcException open) when (open.StatusCode == StatusCode.Unavailable)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(20),
            () => "the breaker never let a probe through");
        Assert.Equal("ok", answer);
        Assert.Equal("ok", (await sidecar.Runtime.InvokeServiceAsync(request, deadline: DateTime.UtcNow.AddSeconds(30))).Data.ToStringUtf8());
        Assert.Equal(5, app.Received.Count);
    }

    [Fact]
    public async Task InvokeService_TargetHangsPastEveryDeadline_BreakerOpens()
    {
        await using var app = await InvokeApp.StartAsync();
        app.Respond = async (request, context) =>
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return InvokeApp.Answer(ByteString.Empty, "");
        };
        await using var sidecar = await TestSidecar.StartAsync("hanging", new Dictionary<string, string?>
        {
            ["BusRuntime:Invoke:Targets:hanging:BreakerFailureRatio"] = "1",
            ["BusRuntime:Invoke:Targets:hanging:BreakerMinimumThroughput"] = "2",
            ["BusRuntime:Invoke:Targets:hanging:BreakDuration"] = "00:01:00",
        }, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        var request = new InvokeServiceRequest { AppId = "hanging", Method = "m" };

        for (var i = 0; i < 2; i++)
        {
            var expired = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(request, deadline: DateTime.UtcNow.AddSeconds(3)));
            Assert.Equal(StatusCode.DeadlineExceeded, expired.StatusCode);
        }

        // The caller sees its deadline before the sidecar has counted the attempt (on a busy machine, some time
        // before): a call right after may still find the breaker closed, and then counts as one more failure.
        RpcException? rejected = null;
        await Poll.UntilAsync(
            async () =>
            {
                var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(request, deadline: DateTime.UtcNow.AddSeconds(2)));
                Assert.True(error.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded, $"{error.StatusCode}: {error.Status.Detail}");
                rejected = error.StatusCode == StatusCode.Unavailable ? error : null;
                return rejected is not null;
            },
            TimeSpan.FromSeconds(30),
            () => "the breaker did not open");
        Assert.StartsWith("the circuit breaker for app 'hanging' is open", rejected!.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeService_AttemptTimeoutShorterThanTheDeadline_DeadlineExceededNamingTheTargetsTimeout()
    {
        await using var app = await InvokeApp.StartAsync();
        app.Respond = async (request, context) =>
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return InvokeApp.Answer(ByteString.Empty, "");
        };
        await using var sidecar = await TestSidecar.StartAsync("timing-out", new Dictionary<string, string?> { ["BusRuntime:Invoke:Targets:timing-out:Timeout"] = "00:00:00.300" }, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = "timing-out", Method = "m" }, deadline: DateTime.UtcNow.AddSeconds(30)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal("app 'timing-out' did not answer method 'm' within 0.3s (BusRuntime:Invoke:Targets:timing-out:Timeout).", error.Status.Detail);
    }

    [Fact]
    public async Task InvokeService_MoreCallsThanTheConcurrencyLimitAndQueue_ResourceExhausted()
    {
        await using var app = await InvokeApp.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Respond = async (request, _) =>
        {
            await release.Task;
            return InvokeApp.Answer(ByteString.CopyFromUtf8("done"), "text/plain");
        };
        await using var sidecar = await TestSidecar.StartAsync("limited", new Dictionary<string, string?>
        {
            ["BusRuntime:Invoke:Targets:limited:ConcurrencyLimit"] = "1",
            ["BusRuntime:Invoke:Targets:limited:QueueLimit"] = "0",
        }, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        var request = new InvokeServiceRequest { AppId = "limited", Method = "m" };
        var first = sidecar.Runtime.InvokeServiceAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;
        await Poll.UntilAsync(() => !app.Received.IsEmpty, TimeSpan.FromSeconds(10), () => "the first call never reached the app");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)));
        release.SetResult();

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("ConcurrencyLimit", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("done", (await first).Data.ToStringUtf8());
        Assert.Single(app.Received);
    }

    [Theory]
    [InlineData("BusRuntime:Invoke:Targets:billing:RetryAttempts", "11", "BusRuntime:Invoke:Targets:billing:RetryAttempts must be between 0 and 10.")]
    [InlineData("BusRuntime:Invoke:Defaults:BreakerFailureRatio", "2", "BusRuntime:Invoke:Defaults:BreakerFailureRatio must be between 0.01 and 1.")]
    [InlineData("BusRuntime:Invoke:Targets:bill.ing:Timeout", "00:00:01", "BusRuntime:Invoke:Targets:bill.ing: 'bill.ing' is not an app id")]
    [InlineData("BusRuntime:Invoke:DefaultTimeout", "00:00:00", "BusRuntime:Invoke:DefaultTimeout must be between 00:00:00.010 and 01:00:00.")]
    public async Task Start_BadInvokeConfiguration_FailsNamingTheKey(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestSidecar.StartAsync("config", new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(error.Failures, failure => failure.Contains(message, StringComparison.Ordinal));
    }
}
