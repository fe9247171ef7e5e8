namespace BusRuntime.Sagas.Activities;

/// <summary>What compensating a completed step needs: the method to call and the step's output (base64) as its data.</summary>
public sealed record StepLog
{
    public int Step { get; init; }

    public string AppId { get; init; } = "";

    public string CompensationMethod { get; init; } = "";

    public string Output { get; init; } = "";

    public string InstanceId { get; init; } = "";
}
