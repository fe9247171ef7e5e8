using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Actuator;

[Collection(MetricsCollection.Name)]
public sealed class InvokeMetricsTests
{
    [Fact]
    public async Task Metrics_AfterInvocationsAndABreakerOpening_CountsCallsServedRequestsAndDecisions()
    {
        await using var app = await InvokeApp.StartAsync();
        var failing = true;
        app.Respond = (request, _) => Volatile.Read(ref failing)
            ? throw new RpcException(new Status(StatusCode.Internal, "broken"))
            : Task.FromResult(InvokeApp.Answer(ByteString.CopyFromUtf8("ok"), "text/plain"));
        await using var sidecar = await TestSidecar.StartAsync("invoke-metrics", new Dictionary<string, string?>
        {
            ["BusRuntime:Invoke:Defaults:BreakerFailureRatio"] = "0.5",
            ["BusRuntime:Invoke:Defaults:BreakerMinimumThroughput"] = "3",
            ["BusRuntime:Invoke:Defaults:BreakDuration"] = "00:01:00",
        }, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        var request = new InvokeServiceRequest { AppId = "invoke-metrics", Method = "m" };
        Volatile.Write(ref failing, false);
        await sidecar.Runtime.InvokeServiceAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));
        Volatile.Write(ref failing, true);
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.InvokeServiceAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)));
        }

        var metrics = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            metrics = await sidecar.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            if (Sample(metrics, "busruntime_invoke_governance_total", "decision=\"breaker_rejected\"") is not null)
            {
                break;
            }
        }

        Assert.EndsWith("} 1", Sample(metrics, "busruntime_invoke_calls_total", "status=\"ok\""));
        Assert.EndsWith("} 2", Sample(metrics, "busruntime_invoke_calls_total", "status=\"internal\""));
        Assert.EndsWith("} 1", Sample(metrics, "busruntime_invoke_calls_total", "status=\"unavailable\""));
        Assert.EndsWith("} 1", Sample(metrics, "busruntime_invoke_served_total", "status=\"ok\""));
        Assert.EndsWith("} 2", Sample(metrics, "busruntime_invoke_served_total", "status=\"internal\""));
        Assert.EndsWith("} 1", Sample(metrics, "busruntime_invoke_governance_total", "decision=\"breaker_opened\""));
        Assert.EndsWith("} 1", Sample(metrics, "busruntime_invoke_governance_total", "decision=\"breaker_rejected\""));
        Assert.Contains("busruntime_invoke_call_duration_seconds_bucket", metrics, StringComparison.Ordinal);
    }

    /// <summary>The sample line of a metric for this test's app that has the given label, or null.</summary>
    private static string? Sample(string metrics, string name, string label) =>
        metrics.Split('\n').FirstOrDefault(line =>
            line.StartsWith(name + "{", StringComparison.Ordinal)
            && line.Contains("app_id=\"invoke-metrics\"", StringComparison.Ordinal)
            && line.Contains(label, StringComparison.Ordinal));
}
