namespace BusRuntime.Sagas.Configuration;

/// <summary>A named workflow (BusRuntime:Workflows:&lt;name&gt;): its steps, in order.</summary>
public sealed class WorkflowDefinitionOptions
{
    public List<WorkflowStepOptions> Steps { get; set; } = [];
}
