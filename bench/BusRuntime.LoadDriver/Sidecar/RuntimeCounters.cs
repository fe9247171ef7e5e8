using System.Globalization;

namespace BusRuntime.LoadDriver.Sidecar;

/// <summary>Reads .NET's own counters from a sidecar's Prometheus exposition.</summary>
public static class RuntimeCounters
{
    /// <summary>The System.Runtime meter's dotnet.gc.heap.total_allocated, as the Prometheus exporter names it.</summary>
    public const string AllocatedBytesMetric = "dotnet_gc_heap_total_allocated_bytes_total";

    /// <summary>The System.Runtime meter's dotnet.jit.compiled_methods: every compilation, each tier of a method counted.</summary>
    public const string CompiledMethodsMetric = "dotnet_jit_compiled_methods_total";

    /// <summary>The value of <see cref="AllocatedBytesMetric"/> in a /metrics text, or null when it is not there.</summary>
    public static long? AllocatedBytes(string metrics) => Read(metrics, AllocatedBytesMetric);

    /// <summary>The value of <see cref="CompiledMethodsMetric"/> in a /metrics text, or null when it is not there.</summary>
    public static long? CompiledMethods(string metrics) => Read(metrics, CompiledMethodsMetric);

    private static long? Read(string metrics, string name)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var line in metrics.Split('\n'))
        {
            // "dotnet_gc_heap_total_allocated_bytes_total{otel_scope_name=\"System.Runtime\"} 123456 1700000000000"
            if (!line.StartsWith(name, StringComparison.Ordinal) || (line.Length > name.Length && line[name.Length] is not ('{' or ' ')))
            {
                continue;
            }

            var labelsEnd = line.IndexOf('}', StringComparison.Ordinal);
            var afterName = line[(labelsEnd < 0 ? name.Length : labelsEnd + 1)..];
            var value = afterName.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            return (long)double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return null;
    }
}
