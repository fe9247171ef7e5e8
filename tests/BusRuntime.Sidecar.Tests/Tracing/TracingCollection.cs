namespace BusRuntime.Sidecar.Tests.Tracing;

/// <summary>
/// Tests that count every span of the BusRuntime source in the process run alone: a span of another test's
/// sidecar would count too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Tracing";
}
