namespace BusRuntime.Sagas.Activities;

/// <summary>
/// What the step activity gets. <see cref="Data"/> (base64) comes from the itinerary when the step has data of
/// its own, else from the routing slip's variable "Data": the previous step's output, or the workflow's input.
/// </summary>
public sealed record StepArguments
{
    public int Step { get; init; }

    public string AppId { get; init; } = "";

    public string Method { get; init; } = "";

    public string? CompensationMethod { get; init; }

    public string? Data { get; init; }

    /// <summary>The workflow's instance id (a routing slip variable), which the step's app gets as metadata.</summary>
    public string InstanceId { get; init; } = "";
}
