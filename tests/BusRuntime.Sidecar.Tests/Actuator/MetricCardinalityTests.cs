using System.Diagnostics.Metrics;
using BusRuntime.Core.PubSub;
using BusRuntime.Testing;

namespace BusRuntime.Sidecar.Tests.Actuator;

[Collection(MetricsCollection.Name)]
public sealed class MetricCardinalityTests
{
    private const int TagValues = 600;

    [Fact]
    public async Task Metrics_LibraryInstrumentWithMoreTagValuesThanItsLimit_FoldsTheRestIntoTheOverflowSample()
    {
        await using var sidecar = await TestSidecar.StartAsync("cardinality-library");
        using var meter = new Meter("MassTransit");
        var counter = meter.CreateCounter<long>("cardinality.probe.library");
        for (var value = 0; value < TagValues; value++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("probe", value));
        }

        var samples = Samples(await sidecar.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), "cardinality_probe_library_total{");

        var overflow = Assert.Single(samples, line => line.Contains("otel_metric_overflow=\"true\"", StringComparison.Ordinal));
        Assert.Equal(501, samples.Count);
        Assert.EndsWith($" {TagValues - (samples.Count - 1)}", overflow);
    }

    [Fact]
    public async Task Metrics_RuntimeInstrumentWithAsManyTagValues_KeepsEverySample()
    {
        await using var sidecar = await TestSidecar.StartAsync("cardinality-runtime");
        using var meter = new Meter(PubSubMetrics.MeterName);
        var counter = meter.CreateCounter<long>("cardinality.probe.runtime");
        for (var value = 0; value < TagValues; value++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("probe", value));
        }

        var samples = Samples(await sidecar.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), "cardinality_probe_runtime_total{");

        Assert.Equal(TagValues, samples.Count);
        Assert.DoesNotContain(samples, line => line.Contains("otel_metric_overflow", StringComparison.Ordinal));
    }

    private static List<string> Samples(string metrics, string prefix) =>
        [.. metrics.Split('\n').Where(line => line.StartsWith(prefix, StringComparison.Ordinal))];
}
