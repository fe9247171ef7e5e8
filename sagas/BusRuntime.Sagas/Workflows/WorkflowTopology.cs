namespace BusRuntime.Sagas.Workflows;

/// <summary>
/// The addresses of the endpoints that run workflows, known once they are connected: the saga's (where
/// start, terminate and the routing slips' events go) and the step activity's execute endpoint.
/// </summary>
public sealed class WorkflowTopology
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Uri? sagaAddress;
    private Uri? executeAddress;

    public Uri SagaAddress => sagaAddress ?? throw NotYet();

    public Uri ExecuteAddress => executeAddress ?? throw NotYet();

    /// <summary>Completes when the endpoints are connected and consuming.</summary>
    public Task Ready => ready.Task;

    public void Connected(Uri sagaAddress, Uri executeAddress)
    {
        this.sagaAddress = sagaAddress ?? throw new ArgumentNullException(nameof(sagaAddress));
        this.executeAddress = executeAddress ?? throw new ArgumentNullException(nameof(executeAddress));
        ready.TrySetResult();
    }

    private static InvalidOperationException NotYet() => new("The workflow endpoints are not connected yet; wait for Ready.");
}
