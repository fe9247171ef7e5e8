using System.Globalization;
using System.Runtime;

namespace BusRuntime.StackFloor;

/// <summary>
/// The two runtime counters the load driver reads from a sidecar's /metrics (allocated bytes, JIT-compiled methods), in the
/// Prometheus text format under the names the sidecar's exporter gives them, without an exporter's own cost.
/// </summary>
public static class RuntimeCountersText
{
    public static string Write() => string.Create(CultureInfo.InvariantCulture, $"""
        dotnet_gc_heap_total_allocated_bytes_total {GC.GetTotalAllocatedBytes()}
        dotnet_jit_compiled_methods_total {JitInfo.GetCompiledMethodCount()}

        """);
}
