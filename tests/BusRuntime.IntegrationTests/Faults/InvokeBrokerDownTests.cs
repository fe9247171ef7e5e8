using System.Diagnostics;
using BusRuntime.IntegrationTests.Invoke;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Faults;

/// <summary>Service invocation while the real broker is stopped (rabbitmqctl stop_app), and after it is back.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class InvokeBrokerDownTests(RabbitMqFixture broker, ITestOutputHelper output)
{
    [Fact]
    public async Task InvokeService_BrokerStopped_DeadlineExceededWithoutReachingTheAppAndWorksAgainOnceItIsBack()
    {
        await using var entities = broker.Track();
        var appId = entities.InvokedApp("billing");
        await using var target = await InvokeReplica.StartAsync(appId);
        await using var caller = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings());
        await target.Sidecar.WaitUntilServingInvocationsAsync();
        await caller.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = appId, Method = "warm-up" }, deadline: DateTime.UtcNow.AddSeconds(30));

        RpcException failure;
        var clock = Stopwatch.StartNew();
        try
        {
            await broker.StopBrokerAsync();
            clock.Restart();
            failure = await Assert.ThrowsAsync<RpcException>(async () =>
                await caller.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = appId, Method = "charge" }, deadline: DateTime.UtcNow.AddSeconds(10)));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: {failure.StatusCode} {failure.Status.Detail}");
        }
        finally
        {
            await broker.StartBrokerAsync();
        }

        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    await caller.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = appId, Method = "after" }, deadline: DateTime.UtcNow.AddSeconds(5));
                    return true;
                }
                catch (RpcException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            () => "invocations did not work again after the broker came back");

        // The request waits for the broker until the caller's deadline (docs/api.md: a broker that is down).
        Assert.Equal(StatusCode.DeadlineExceeded, failure.StatusCode);
        Assert.DoesNotContain(target.App.Received, received => received.Request.Method == "charge");
    }
}
