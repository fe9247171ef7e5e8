using System.Text.Json.Serialization;

namespace BusRuntime.LoadDriver.Reporting;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BenchmarkReport))]
public sealed partial class ReportJsonContext : JsonSerializerContext;
