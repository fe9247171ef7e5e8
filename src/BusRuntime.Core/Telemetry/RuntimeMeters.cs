using BusRuntime.Core.Invoke;
using BusRuntime.Core.Journal;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Stores;

namespace BusRuntime.Core.Telemetry;

/// <summary>Every meter of the runtime, so that one list decides what /metrics exports.</summary>
public static class RuntimeMeters
{
    public static IReadOnlyList<string> Names { get; } =
        [PubSubMetrics.MeterName, InvokeMetrics.MeterName, StoreMetrics.MeterName, JournalMetrics.MeterName];
}
