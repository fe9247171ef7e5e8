namespace BusRuntime.Core.Workflows;

/// <summary>The first failure of an instance: which step, which app, the gRPC status name and the message.</summary>
public sealed record WorkflowError(int Step, string AppId, string Status, string Message);
