namespace BusRuntime.Sagas.Workflows;

/// <summary>
/// The addresses of the endpoints that run workflows, known once they are connected: the saga's (where
/// start, terminate and the routing slips' events go) and the step activity's execute endpoint.
/// </summary>
public sealed class WorkflowTopology
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Uri SagaAddress { get; private set; } = new("queue:busruntime-workflow-saga");

    public Uri ExecuteAddress { get; private set; } = new("queue:busruntime-workflow-step_execute");

    /// <summary>Completes when the endpoints are connected and consuming.</summary>
    public Task Ready => ready.Task;

    public void Connected(Uri sagaAddress, Uri executeAddress)
    {
        SagaAddress = sagaAddress ?? throw new ArgumentNullException(nameof(sagaAddress));
        ExecuteAddress = executeAddress ?? throw new ArgumentNullException(nameof(executeAddress));
        ready.TrySetResult();
    }
}
