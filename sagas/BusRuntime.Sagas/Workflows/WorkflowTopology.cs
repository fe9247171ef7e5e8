namespace BusRuntime.Sagas.Workflows;

/// <summary>
/// The addresses of the endpoints that run workflows, known once they are connected: the saga's (where
/// start, terminate and the routing slips' events go) and the step activity's execute endpoint.
/// Endpoints of this sidecar alone wait for the first request that needs them (<see cref="Require"/>).
/// </summary>
public sealed class WorkflowTopology
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource required = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Uri? sagaAddress;
    private Uri? executeAddress;

    public Uri SagaAddress => sagaAddress ?? throw NotYet();

    public Uri ExecuteAddress => executeAddress ?? throw NotYet();

    /// <summary>Completes when the endpoints are connected and consuming.</summary>
    public Task Ready => ready.Task;

    /// <summary>Completes when a request first needed the endpoints (<see cref="Require"/>).</summary>
    public Task Required => required.Task;

    /// <summary>Asks for the endpoints to be connected if they are not; completes as <see cref="Ready"/> does.</summary>
    public Task Require()
    {
        required.TrySetResult();
        return ready.Task;
    }

    public void Connected(Uri sagaAddress, Uri executeAddress)
    {
        this.sagaAddress = sagaAddress ?? throw new ArgumentNullException(nameof(sagaAddress));
        this.executeAddress = executeAddress ?? throw new ArgumentNullException(nameof(executeAddress));
        ready.TrySetResult();
    }

    private static InvalidOperationException NotYet() => new("The workflow endpoints are not connected yet; wait for Ready.");
}
