namespace BusRuntime.Core.Resilience;

/// <summary>
/// Which pipeline: one of <see cref="ResiliencePipelines"/>, and the target it serves (an app id, a schema, a
/// store) for a pipeline keyed per target, empty otherwise.
/// </summary>
public readonly record struct ResiliencePipelineKey(string Name, string Target = "");
