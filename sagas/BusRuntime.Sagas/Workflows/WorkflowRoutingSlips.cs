using BusRuntime.Core.Workflows;
using BusRuntime.Sagas.Activities;
using MassTransit;
using MassTransit.Courier.Contracts;

namespace BusRuntime.Sagas.Workflows;

/// <summary>Builds the routing slip of a workflow: one step activity per step, events to the saga.</summary>
public static class WorkflowRoutingSlips
{
    /// <summary>The events the saga follows; they are sent to it only, never published to every sidecar.</summary>
    public const RoutingSlipEvents SagaEvents =
        RoutingSlipEvents.Completed | RoutingSlipEvents.Faulted | RoutingSlipEvents.CompensationFailed
        | RoutingSlipEvents.ActivityCompleted | RoutingSlipEvents.ActivityFaulted
        | RoutingSlipEvents.ActivityCompensated | RoutingSlipEvents.ActivityCompensationFailed;

    /// <summary>
    /// The slip's tracking number is the instance's correlation id. The workflow's input starts as the
    /// variable "Data", which each step replaces with its output; a step with data of its own gets it as
    /// an argument, which wins over the variable.
    /// </summary>
    public static RoutingSlip Build(Guid correlationId, string instanceId, byte[] input, IReadOnlyList<WorkflowStep> steps, Uri executeAddress, Uri sagaAddress)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(steps);
        var builder = new RoutingSlipBuilder(correlationId);
        for (var index = 0; index < steps.Count; index++)
        {
            var step = steps[index];
            var arguments = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [nameof(StepArguments.Step)] = index,
                [nameof(StepArguments.AppId)] = step.AppId,
                [nameof(StepArguments.Method)] = step.Method,
            };
            if (step.Data is not null)
            {
                arguments[nameof(StepArguments.Data)] = Convert.ToBase64String(step.Data);
            }

            if (!string.IsNullOrEmpty(step.CompensationMethod))
            {
                arguments[nameof(StepArguments.CompensationMethod)] = step.CompensationMethod;
            }

            builder.AddActivity(StepActivity.ActivityName(index), executeAddress, arguments);
        }

        builder.AddVariable(StepActivity.DataVariable, Convert.ToBase64String(input));
        builder.AddVariable(nameof(StepArguments.InstanceId), instanceId);
        // Variables only: the saga reads the output sizes, never the arguments, the logs (outputs) or the itinerary.
        builder.AddSubscription(sagaAddress, SagaEvents, RoutingSlipEventContents.Variables);
        return builder.Build();
    }
}
