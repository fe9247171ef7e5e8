using BusRuntime.Core.Workflows;
using BusRuntime.Protos.V1;
using Google.Protobuf.WellKnownTypes;
using WorkflowError = BusRuntime.Protos.V1.WorkflowError;
using WorkflowInstance = BusRuntime.Protos.V1.WorkflowInstance;
using WorkflowStatus = BusRuntime.Protos.V1.WorkflowStatus;
using WorkflowStep = BusRuntime.Core.Workflows.WorkflowStep;
using WorkflowStepStatus = BusRuntime.Protos.V1.WorkflowStepStatus;

namespace BusRuntime.Grpc.Workflows;

/// <summary>Maps workflow requests and instances between busruntime.v1 and Core's workflows.</summary>
public static class WorkflowMapping
{
    public static IReadOnlyList<WorkflowStep> ToSteps(StartWorkflowRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return [.. request.Steps.Select(step => new WorkflowStep(
            step.AppId,
            step.Method,
            step.HasData ? step.Data.ToByteArray() : null,
            string.IsNullOrEmpty(step.CompensationMethod) ? null : step.CompensationMethod))];
    }

    public static WorkflowInstance ToProto(Core.Workflows.WorkflowInstance state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var instance = new WorkflowInstance
        {
            InstanceId = state.InstanceId,
            WorkflowName = state.WorkflowName,
            Status = ToProto(state.Status),
            CurrentStep = state.CurrentStep,
            StartedAt = Timestamp.FromDateTimeOffset(state.StartedAt),
            CompensationError = state.CompensationError ?? "",
            TerminateReason = state.TerminateReason ?? "",
            StartedBy = state.StartedBy,
            InputSize = state.InputSize,
        };
        if (state.EndedAt is { } ended)
        {
            instance.EndedAt = Timestamp.FromDateTimeOffset(ended);
        }

        if (state.Error is { } error)
        {
            instance.Error = new WorkflowError { Step = error.Step, AppId = error.AppId, Status = error.Status, Message = error.Message };
        }

        instance.Steps.AddRange(state.Steps.Select(ToProto));
        return instance;
    }

    private static WorkflowStepState ToProto(WorkflowStepRecord record)
    {
        var step = new WorkflowStepState
        {
            AppId = record.AppId,
            Method = record.Method,
            CompensationMethod = record.CompensationMethod ?? "",
            Status = record.Status switch
            {
                Core.Workflows.WorkflowStepStatus.Pending => WorkflowStepStatus.Pending,
                Core.Workflows.WorkflowStepStatus.Completed => WorkflowStepStatus.Completed,
                Core.Workflows.WorkflowStepStatus.Failed => WorkflowStepStatus.Failed,
                Core.Workflows.WorkflowStepStatus.Compensated => WorkflowStepStatus.Compensated,
                Core.Workflows.WorkflowStepStatus.CompensationFailed => WorkflowStepStatus.CompensationFailed,
                _ => WorkflowStepStatus.Unspecified,
            },
            ErrorStatus = record.ErrorStatus ?? "",
            ErrorMessage = record.ErrorMessage ?? "",
        };
        if (record.OutputSize is { } size)
        {
            step.OutputSize = size;
        }

        if (record.CompletedAt is { } completed)
        {
            step.CompletedAt = Timestamp.FromDateTimeOffset(completed);
        }

        return step;
    }

    private static WorkflowStatus ToProto(Core.Workflows.WorkflowStatus status) => status switch
    {
        Core.Workflows.WorkflowStatus.Running => WorkflowStatus.Running,
        Core.Workflows.WorkflowStatus.Completed => WorkflowStatus.Completed,
        Core.Workflows.WorkflowStatus.Failed => WorkflowStatus.Failed,
        Core.Workflows.WorkflowStatus.Compensating => WorkflowStatus.Compensating,
        Core.Workflows.WorkflowStatus.Compensated => WorkflowStatus.Compensated,
        Core.Workflows.WorkflowStatus.CompensationFailed => WorkflowStatus.CompensationFailed,
        Core.Workflows.WorkflowStatus.Terminated => WorkflowStatus.Terminated,
        _ => WorkflowStatus.Unspecified,
    };
}
