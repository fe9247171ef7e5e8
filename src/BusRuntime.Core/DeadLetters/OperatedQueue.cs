namespace BusRuntime.Core.DeadLetters;

/// <summary>
/// A queue of the sidecar's other than its subscriptions whose dead letters operators list and redrive, such
/// as the shared workflow queues; registered by the feature that consumes it.
/// </summary>
public sealed record OperatedQueue(string Name);
