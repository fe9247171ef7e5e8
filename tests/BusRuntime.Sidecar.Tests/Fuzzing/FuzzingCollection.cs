namespace BusRuntime.Sidecar.Tests.Fuzzing;

/// <summary>The fuzz suite runs alone: it measures the process's heap, which tests running beside it would blur.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzingCollection
{
    public const string Name = "Fuzzing";
}
