namespace BusRuntime.Sagas.Configuration;

/// <summary>One step of a named workflow (BusRuntime:Workflows:&lt;name&gt;:Steps:&lt;n&gt;).</summary>
public sealed class WorkflowStepOptions
{
    public string AppId { get; set; } = "";

    public string Method { get; set; } = "";

    /// <summary>The step's data as UTF-8 text; unset: the previous step's output, or the workflow's input.</summary>
    public string? Data { get; set; }

    public string? CompensationMethod { get; set; }
}
