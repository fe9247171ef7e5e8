using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Invoke;

/// <summary>InvokeService between sidecars on RabbitMQ: a caller's sidecar, and replicas of the target app with their own sidecars.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class InvokeServiceTests(RabbitMqFixture broker)
{
    private static DateTime Deadline => DateTime.UtcNow.AddSeconds(30);

    [Fact]
    public async Task InvokeService_TargetOnAnotherSidecar_ReturnsItsAnswerWithDataAndMetadataBothWays()
    {
        await using var entities = broker.Track();
        var billing = entities.InvokedApp("billing");
        await using var target = await InvokeReplica.StartAsync(billing);
        target.App.Respond = async (request, context) =>
        {
            await context.WriteResponseHeadersAsync(new Metadata { { "x-invoice", "inv-7" } });
            context.ResponseTrailers.Add("x-elapsed-ms", "3");
            return InvokeApp.Answer(ByteString.CopyFrom([.. request.Data.Value.Span, .. "!"u8]), "application/octet-stream");
        };
        var shop = RabbitMqFixture.Unique("shop");
        await using var caller = await TestSidecar.StartAsync(shop, RabbitMqFixture.Settings());
        byte[] payload = [0, 255, 7, 128];

        using var call = caller.Runtime.InvokeServiceAsync(new InvokeServiceRequest
        {
            AppId = billing,
            Method = "invoices/charge",
            Data = ByteString.CopyFrom(payload),
            ContentType = "application/octet-stream",
            HttpVerb = "POST",
            QueryString = "currency=EUR",
            Metadata = { ["tenant"] = "acme" },
        }, deadline: Deadline);
        var response = await call.ResponseAsync;

        Assert.Equal([.. payload, (byte)'!'], response.Data.ToByteArray());
        Assert.Equal("application/octet-stream", response.ContentType);
        Assert.Equal("inv-7", (await call.ResponseHeadersAsync).GetValue("x-invoice"));
        Assert.Equal("3", call.GetTrailers().GetValue("x-elapsed-ms"));
        var received = Assert.Single(target.App.Received);
        Assert.Equal("invoices/charge", received.Request.Method);
        Assert.Equal(payload, received.Request.Data.Value.ToByteArray());
        Assert.Equal("currency=EUR", received.Request.HttpExtension.Querystring);
        Assert.Equal("acme", received.Headers["tenant"]);
        Assert.Equal(shop, received.Headers["dapr-caller-app-id"]);
    }

    [Fact]
    public async Task InvokeService_ThreeReplicas_EachTakesAShareAndEveryCallerGetsItsOwnAnswer()
    {
        const int calls = 300;
        await using var entities = broker.Track();
        var billing = entities.InvokedApp("billing");
        await using var replica1 = await InvokeReplica.StartAsync(billing);
        await using var replica2 = await InvokeReplica.StartAsync(billing);
        await using var replica3 = await InvokeReplica.StartAsync(billing);
        await using var caller = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings());

        var answers = await Invoking.ManyAsync(caller, billing, calls, concurrency: 16);

        Assert.All(answers, pair => Assert.Equal(pair.Sent, pair.Answered));
        InvokeReplica[] replicas = [replica1, replica2, replica3];
        Assert.All(replicas, replica => Assert.NotEmpty(replica.App.Received));
        Assert.Equal(calls, replicas.Sum(replica => replica.App.Received.Count));
    }

    [Fact]
    public async Task InvokeService_OneMebibyteEachWay_ArrivesByteForByte()
    {
        await using var entities = broker.Track();
        var billing = entities.InvokedApp("billing");
        await using var target = await InvokeReplica.StartAsync(billing);
        target.App.Respond = (request, _) =>
            Task.FromResult(InvokeApp.Answer(ByteString.CopyFrom(request.Data.Value.Span.ToArray().Reverse().ToArray()), "application/octet-stream"));
        await using var caller = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings());
        var payload = new byte[1024 * 1024];
        new Random(42).NextBytes(payload);

        var response = await caller.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = billing, Method = "reverse", Data = ByteString.CopyFrom(payload) }, deadline: Deadline);

        Assert.Equal(payload.Reverse().ToArray(), response.Data.ToByteArray());
        Assert.Equal(payload, Assert.Single(target.App.Received).Request.Data.Value.ToByteArray());
    }

    [Fact]
    public async Task InvokeService_CallerGaveUpWhileItsRequestWaited_TargetNeverStartsIt()
    {
        await using var entities = broker.Track();
        var billing = entities.InvokedApp("billing");
        await using var target = await InvokeReplica.StartAsync(billing, new Dictionary<string, string?> { ["BusRuntime:Invoke:ConcurrentRequests"] = "1" });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        target.App.Respond = async (request, _) =>
        {
            await release.Task;
            return InvokeApp.Answer(request.Data.Value, "text/plain");
        };
        await using var caller = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings());
        var first = caller.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = billing, Method = "first", Data = ByteString.CopyFromUtf8("1") }, deadline: Deadline).ResponseAsync;
        await Poll.UntilAsync(() => !target.App.Received.IsEmpty, TimeSpan.FromSeconds(10), () => "the first call never reached the app");

        var second = await Assert.ThrowsAsync<RpcException>(async () => await caller.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = billing, Method = "second" }, deadline: DateTime.UtcNow.AddMilliseconds(500)));
        release.SetResult();
        Assert.Equal("1", (await first).Data.ToStringUtf8());
        var third = await caller.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = billing, Method = "third", Data = ByteString.CopyFromUtf8("3") }, deadline: Deadline);

        Assert.Equal(StatusCode.DeadlineExceeded, second.StatusCode);
        Assert.Equal("3", third.Data.ToStringUtf8());
        Assert.Equal(["first", "third"], target.App.Received.Select(received => received.Request.Method));
    }

    [Fact]
    public async Task InvokeService_NoReplicaEverRan_UnavailableNamingTheAppBeforeTheDeadline()
    {
        await using var entities = broker.Track();
        var billing = entities.InvokedApp("billing");
        await using var caller = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings());

        // A sidecar that waited for an answer would end this call DEADLINE_EXCEEDED.
        var error = await Assert.ThrowsAsync<RpcException>(async () => await caller.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = billing, Method = "charge" }, deadline: Deadline));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal($"no replica of app '{billing}' is running: nothing consumes its invoke queue.", error.Status.Detail);
    }

    [Fact]
    public async Task InvokeService_LastReplicaStopped_UnavailableNamingTheApp()
    {
        await using var entities = broker.Track();
        var billing = entities.InvokedApp("billing");
        await using var caller = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings());
        await using (var target = await InvokeReplica.StartAsync(billing))
        {
            var answered = await caller.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = billing, Method = "m", Data = ByteString.CopyFromUtf8("up") }, deadline: Deadline);
            Assert.Equal("up", answered.Data.ToStringUtf8());
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () => await caller.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = billing, Method = "m" }, deadline: Deadline));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains($"app '{billing}'", error.Status.Detail, StringComparison.Ordinal);
        Assert.Null(await broker.MessageCountAsync(BusRuntime.Contracts.InvokeNames.Queue(billing)));
    }

    [Fact]
    public async Task InvokeService_TargetThrows_CallerGetsItsStatusMessageAndTrailers()
    {
        await using var entities = broker.Track();
        var billing = entities.InvokedApp("billing");
        await using var target = await InvokeReplica.StartAsync(billing);
        target.App.Respond = (_, _) => throw new RpcException(new Status(StatusCode.PermissionDenied, "tenant acme may not refund"), new Metadata { { "x-policy", "refunds" } });
        await using var caller = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings());

        var error = await Assert.ThrowsAsync<RpcException>(async () => await caller.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = billing, Method = "refund" }, deadline: Deadline));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("tenant acme may not refund", error.Status.Detail);
        Assert.Equal("refunds", error.Trailers.GetValue("x-policy"));
    }

    [Fact]
    public async Task InvokeService_TargetDown_BreakerOpensAndClosesOnceAReplicaAnswersAgain()
    {
        await using var entities = broker.Track();
        var billing = entities.InvokedApp("billing");
        await using var caller = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings(new Dictionary<string, string?>
        {
            [$"BusRuntime:Invoke:Targets:{billing}:BreakerFailureRatio"] = "1",
            [$"BusRuntime:Invoke:Targets:{billing}:BreakerMinimumThroughput"] = "2",
            [$"BusRuntime:Invoke:Targets:{billing}:BreakDuration"] = "00:00:03",
        }));
        var request = new InvokeServiceRequest { AppId = billing, Method = "charge", Data = ByteString.CopyFromUtf8("ok") };
        for (var i = 0; i < 2; i++)
        {
            var down = await Assert.ThrowsAsync<RpcException>(async () => await caller.Runtime.InvokeServiceAsync(request, deadline: Deadline));
            Assert.StartsWith($"no replica of app '{billing}'", down.Status.Detail, StringComparison.Ordinal);
        }

        var open = await Assert.ThrowsAsync<RpcException>(async () => await caller.Runtime.InvokeServiceAsync(request, deadline: Deadline));
        Assert.Equal(StatusCode.Unavailable, open.StatusCode);
        Assert.StartsWith($"the circuit breaker for app '{billing}' is open", open.Status.Detail, StringComparison.Ordinal);

        await using var target = await InvokeReplica.StartAsync(billing);
        string? answer = null;
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    answer = (await caller.Runtime.InvokeServiceAsync(request, deadline: Deadline)).Data.ToStringUtf8();
                    return true;
                }
                catch (RpcException stillOpen) when (stillOpen.StatusCode == StatusCode.Unavailable)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(20),
            () => "the breaker never closed");
        Assert.Equal("ok", answer);
        Assert.Single(target.App.Received);
    }

    [Fact]
    public async Task InvokeService_FiveThousandConcurrentCalls_EveryAnswerBelongsToItsCall()
    {
        const int calls = 5_000;
        await using var entities = broker.Track();
        var billing = entities.InvokedApp("billing");
        await using var replica1 = await InvokeReplica.StartAsync(billing);
        await using var replica2 = await InvokeReplica.StartAsync(billing);
        await using var caller = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings());

        var answers = await Invoking.ManyAsync(caller, billing, calls, concurrency: calls);

        Assert.Equal(calls, answers.Count);
        Assert.All(answers, pair => Assert.Equal(pair.Sent, pair.Answered));
        Assert.Equal(calls, answers.Select(pair => pair.Sent).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(calls, replica1.App.Received.Count + replica2.App.Received.Count);
    }

    [Theory]
    [InlineData("", "m", 0, "app_id is empty")]
    [InlineData("bad/app", "m", 0, "app_id 'bad/app' must match")]
    [InlineData("billing", "", 0, "method is empty")]
    [InlineData("billing", "m", 2049, "data is 2049 bytes, over the maximum of 2048 bytes (BusRuntime:MaxPayloadBytes).")]
    public async Task InvokeService_BadInput_InvalidArgumentAndNothingSent(string appId, string method, int bytes, string message)
    {
        await using var caller = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings(new Dictionary<string, string?> { ["BusRuntime:MaxPayloadBytes"] = "2048" }));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await caller.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = appId, Method = method, Data = ByteString.CopyFrom(new byte[bytes]) }, deadline: Deadline));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(message, error.Status.Detail, StringComparison.Ordinal);
    }
}
