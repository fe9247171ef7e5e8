using BusRuntime.Protos.V1;
using BusRuntime.Testing;

namespace BusRuntime.Sidecar.Tests.Actuator;

[Collection(MetricsCollection.Name)]
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_AfterPublishAndDelivery_CountsThemForPrometheus()
    {
        await using var sidecar = await TestSidecar.StartAsync("actuator-metrics");
        using var call = sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = "metered" } });
        await call.ResponseStream.MoveNext(CancellationToken.None);
        await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "metered" });
        await call.ResponseStream.MoveNext(CancellationToken.None);
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = call.ResponseStream.Current.EventMessage.Id } });

        var metrics = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            metrics = await sidecar.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            if (Sample(metrics, "busruntime_pubsub_deliveries_total", "outcome=\"success\"") is not null)
            {
                break;
            }
        }

        Assert.EndsWith("} 1", Sample(metrics, "busruntime_pubsub_published_total", "result=\"confirmed\""));
        Assert.EndsWith("} 1", Sample(metrics, "busruntime_pubsub_deliveries_total", "outcome=\"success\""));
        Assert.Contains("busruntime_pubsub_publish_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task Metrics_Scraped_IncludeTheRuntimesAllocatedBytes()
    {
        await using var sidecar = await TestSidecar.StartAsync("actuator-runtime-metrics");

        var metrics = await sidecar.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        // The benchmarks' allocations per call are differences of this counter (docs/benchmarks.md).
        var sample = metrics.Split('\n').FirstOrDefault(line => line.StartsWith("dotnet_gc_heap_total_allocated_bytes_total{", StringComparison.Ordinal));
        Assert.NotNull(sample);
        Assert.True(long.Parse(sample.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture) > 0, sample);
    }

    /// <summary>The sample line of a metric for this test's app and topic that has the given label, or null.</summary>
    private static string? Sample(string metrics, string name, string label) =>
        metrics.Split('\n').FirstOrDefault(line =>
            line.StartsWith(name + "{", StringComparison.Ordinal)
            && line.Contains("app_id=\"actuator-metrics\"", StringComparison.Ordinal)
            && line.Contains("topic=\"metered\"", StringComparison.Ordinal)
            && line.Contains(label, StringComparison.Ordinal));
}
