using BusRuntime.Protos.V1;
using BusRuntime.Sagas.Workflows;
using Google.Protobuf.WellKnownTypes;
using WorkflowError = BusRuntime.Protos.V1.WorkflowError;
using WorkflowStatus = BusRuntime.Protos.V1.WorkflowStatus;
using WorkflowStep = BusRuntime.Sagas.Workflows.WorkflowStep;
using WorkflowStepStatus = BusRuntime.Protos.V1.WorkflowStepStatus;

namespace BusRuntime.Grpc.Runtime;

/// <summary>Maps workflow requests and instances between busruntime.v1 and the sagas.</summary>
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

    public static WorkflowInstance ToProto(WorkflowState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var instance = new WorkflowInstance
        {
            InstanceId = state.InstanceId,
            WorkflowName = state.WorkflowName,
            Status = ToProto(state.CurrentState),
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
                Sagas.Workflows.WorkflowStepStatus.Pending => WorkflowStepStatus.Pending,
                Sagas.Workflows.WorkflowStepStatus.Completed => WorkflowStepStatus.Completed,
                Sagas.Workflows.WorkflowStepStatus.Failed => WorkflowStepStatus.Failed,
                Sagas.Workflows.WorkflowStepStatus.Compensated => WorkflowStepStatus.Compensated,
                Sagas.Workflows.WorkflowStepStatus.CompensationFailed => WorkflowStepStatus.CompensationFailed,
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

    private static WorkflowStatus ToProto(string state) =>
        System.Enum.TryParse<Sagas.Workflows.WorkflowStatus>(state, out var status)
            ? status switch
            {
                Sagas.Workflows.WorkflowStatus.Running => WorkflowStatus.Running,
                Sagas.Workflows.WorkflowStatus.Completed => WorkflowStatus.Completed,
                Sagas.Workflows.WorkflowStatus.Failed => WorkflowStatus.Failed,
                Sagas.Workflows.WorkflowStatus.Compensating => WorkflowStatus.Compensating,
                Sagas.Workflows.WorkflowStatus.Compensated => WorkflowStatus.Compensated,
                Sagas.Workflows.WorkflowStatus.CompensationFailed => WorkflowStatus.CompensationFailed,
                Sagas.Workflows.WorkflowStatus.Terminated => WorkflowStatus.Terminated,
                _ => WorkflowStatus.Unspecified,
            }
            : WorkflowStatus.Unspecified;
}
