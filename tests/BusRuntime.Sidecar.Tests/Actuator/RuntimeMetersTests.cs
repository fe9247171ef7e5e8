using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using BusRuntime.Core.Telemetry;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;

namespace BusRuntime.Sidecar.Tests.Actuator;

[Collection(MetricsCollection.Name)]
public sealed class RuntimeMetersTests
{
    private const string AppId = "every-meter";

    [Fact]
    public async Task Metrics_AfterEveryPrimitive_ListsAnInstrumentOfEveryRuntimeMeter()
    {
        // Every meter the runtime creates, whether or not the list names it.
        var created = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name.StartsWith("BusRuntime", StringComparison.Ordinal))
                {
                    created[instrument.Meter.Name] = true;
                }
            },
        };
        listener.Start();
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync(AppId, appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();

        // Publish (pub/sub, and the journal stores the message), a state write (stores), an invocation.
        await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "metered" });
        await sidecar.Runtime.SaveStateAsync(new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = "k", Value = ByteString.CopyFromUtf8("v") } } });
        await sidecar.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = AppId, Method = "m" }, deadline: DateTime.UtcNow.AddSeconds(30));

        var metrics = "";
        await Poll.UntilAsync(
            async () =>
            {
                metrics = await sidecar.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
                return RuntimeMeters.Names.All(name => metrics.Contains(Scope(name), StringComparison.Ordinal));
            },
            TimeSpan.FromSeconds(10),
            () => $"/metrics lacks {string.Join(", ", RuntimeMeters.Names.Where(name => !metrics.Contains(Scope(name), StringComparison.Ordinal)))}");
        Assert.NotEmpty(created);
        Assert.All(created.Keys, name => Assert.Contains(name, RuntimeMeters.Names));
        Assert.All(RuntimeMeters.Names, name => Assert.Contains(Scope(name), metrics, StringComparison.Ordinal));
        Assert.Contains("busruntime_journal_stored_total{", metrics, StringComparison.Ordinal);
    }

    /// <summary>The label the Prometheus exporter gives every sample of a meter's instruments.</summary>
    private static string Scope(string meterName) => $"otel_scope_name=\"{meterName}\"";
}
