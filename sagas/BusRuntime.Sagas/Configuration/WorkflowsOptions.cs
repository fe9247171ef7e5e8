using System.ComponentModel.DataAnnotations;

namespace BusRuntime.Sagas.Configuration;

/// <summary>Workflows (configuration section "BusRuntime"): named definitions and how starts wait.</summary>
public sealed class WorkflowsOptions
{
    public const string SectionName = "BusRuntime";

    /// <summary>Named workflows apps start by name with only an input: BusRuntime:Workflows:&lt;name&gt;:Steps:&lt;n&gt;.</summary>
    public Dictionary<string, WorkflowDefinitionOptions> Workflows { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long StartWorkflow and TerminateWorkflow wait for the saga to save the instance and answer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "BusRuntime:WorkflowRequestTimeout must be between 00:00:01 and 00:10:00.")]
    public TimeSpan WorkflowRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The start of the shared workflow queues' names (&lt;prefix&gt;-saga, -step_execute, -step_compensate) when the
    /// saga repository is shared (PostgreSQL). Deployments sharing one broker but not one database need their own.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", ErrorMessage = "BusRuntime:WorkflowQueuePrefix must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$.")]
    public string WorkflowQueuePrefix { get; set; } = "busruntime-workflow";

    /// <summary>How many messages the saga and each activity endpoint handle at once.</summary>
    [Range(1, 1024, ErrorMessage = "BusRuntime:WorkflowConcurrency must be between 1 and 1024.")]
    public int WorkflowConcurrency { get; set; } = 32;
}
