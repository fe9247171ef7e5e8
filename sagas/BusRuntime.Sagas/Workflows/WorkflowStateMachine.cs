using System.Globalization;
using System.Text.Json;
using BusRuntime.Contracts;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Workflows;
using BusRuntime.Sagas.Activities;
using BusRuntime.Sagas.Messages;
using MassTransit;
using MassTransit.Courier.Contracts;

namespace BusRuntime.Sagas.Workflows;

/// <summary>
/// Follows each workflow instance: RUNNING → COMPLETED, or on a step's failure FAILED (nothing to compensate)
/// or COMPENSATING → COMPENSATED | COMPENSATION_FAILED, and TERMINATED on request. Courier's events may
/// arrive out of order (they travel as separate messages and the endpoint consumes concurrently), so each
/// handler only moves a step's record forward, and the final statuses are decided from the routing slip's
/// own final events, whose variables carry every completed step's output size.
/// </summary>
public sealed class WorkflowStateMachine : MassTransitStateMachine<WorkflowState>
{
    public WorkflowStateMachine(WorkflowTopology topology, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(timeProvider);
        InstanceState(instance => instance.CurrentState);

        Event(() => Start, e => e.CorrelateById(context => context.Message.CorrelationId));
        Event(() => Terminate, e =>
        {
            e.CorrelateById(context => context.Message.CorrelationId);
            e.OnMissingInstance(missing => missing.ExecuteAsync(context => context.RespondAsync(new WorkflowRejected
            {
                CorrelationId = context.Message.CorrelationId,
                Code = ErrorCode.NotFound,
                Message = $"instance_id '{context.Message.InstanceId}' names no workflow instance.",
            })));
        });
        Event(() => StepCompleted, e => FromSlip(e, context => context.Message.TrackingNumber));
        Event(() => StepFaulted, e => FromSlip(e, context => context.Message.TrackingNumber));
        Event(() => StepCompensated, e => FromSlip(e, context => context.Message.TrackingNumber));
        Event(() => StepCompensationFailed, e => FromSlip(e, context => context.Message.TrackingNumber));
        Event(() => SlipCompleted, e => FromSlip(e, context => context.Message.TrackingNumber));
        Event(() => SlipFaulted, e => FromSlip(e, context => context.Message.TrackingNumber));
        Event(() => SlipCompensationFailed, e => FromSlip(e, context => context.Message.TrackingNumber));

        Initially(
            When(Start)
                .Then(context =>
                {
                    Begin(context.Saga, context.Message, timeProvider.GetUtcNow());
                    context.Saga.StartMessageId = context.MessageId;
                })
                .TransitionTo(Running)
                .ThenAsync(async context =>
                {
                    await context.Execute(Slip(context.Saga, context.Message, topology)).ConfigureAwait(false);
                    await context.RespondAsync(Accepted(context.Saga)).ConfigureAwait(false);
                }));

        During(Running, Compensating,
            When(Terminate)
                .Then(context => context.Saga.TerminateReason ??= string.IsNullOrEmpty(context.Message.Reason) ? "terminated" : context.Message.Reason)
                .RespondAsync(context => context.Init<WorkflowAccepted>(Accepted(context.Saga))));

        During([Completed, Failed, Compensated, CompensationFailed, Terminated],
            When(Terminate)
                .RespondAsync(context => context.Init<WorkflowRejected>(new WorkflowRejected
                {
                    CorrelationId = context.Saga.CorrelationId,
                    Code = ErrorCode.FailedPrecondition,
                    Message = $"workflow instance '{context.Saga.InstanceId}' already ended with status {StatusName(context.Saga.CurrentState)}.",
                })));

        DuringAny(
            When(Start)
                .IfElse(context => context.MessageId is { } id && id == context.Saga.StartMessageId,
                    redelivered => redelivered.ThenAsync(async context =>
                    {
                        // The same start again: the instance was saved, but the sidecar may have died before its
                        // outbox sent the routing slip. With no step heard of yet, the slip is sent again (steps run
                        // at least once); either way the start is answered as accepted, not as a duplicate id.
                        if (context.Saga.CurrentState == Running.Name && !HasProgress(context.Saga))
                        {
                            await context.Execute(Slip(context.Saga, context.Message, topology)).ConfigureAwait(false);
                        }

                        await context.RespondAsync(Accepted(context.Saga)).ConfigureAwait(false);
                    }),
                    taken => taken.RespondAsync(context => context.Init<WorkflowRejected>(new WorkflowRejected
                    {
                        CorrelationId = context.Saga.CorrelationId,
                        Code = ErrorCode.AlreadyExists,
                        Message = $"instance_id '{context.Message.InstanceId}' is taken: a workflow instance with this id exists (status {StatusName(context.Saga.CurrentState)}).",
                    }))),
            When(StepCompleted)
                .Then(context =>
                {
                    var step = StepActivity.StepOf(context.Message.ActivityName);
                    MarkCompleted(context.Saga, step, ReadInt(context.Message.Variables, StepActivity.OutputSizeVariable(step)), context.Message.Timestamp);
                    context.Saga.CurrentStep = Math.Max(context.Saga.CurrentStep, step + 1);
                }),
            When(StepFaulted)
                .Then(context =>
                {
                    // The fault can overtake an earlier step's ActivityCompleted; the slip's variables already
                    // say which steps completed, so compensation is known to follow.
                    RecordSizes(context.Saga, context.Message.Variables, context.Message.Timestamp);
                    MarkFaulted(context.Saga, StepActivity.StepOf(context.Message.ActivityName), context.Message.ExceptionInfo);
                })
                .If(context => context.Saga.CurrentState == Running.Name && HasCompensableSteps(context.Saga), then => then.TransitionTo(Compensating)),
            When(StepCompensated)
                .Then(context => Update(context.Saga, StepActivity.StepOf(context.Message.ActivityName), record => record with { Status = WorkflowStepStatus.Compensated })),
            When(StepCompensationFailed)
                .Then(context =>
                {
                    var (status, message) = StepFailedException.Parse(context.Message.ExceptionInfo?.Message);
                    Update(context.Saga, StepActivity.StepOf(context.Message.ActivityName), record => record with
                    {
                        Status = WorkflowStepStatus.CompensationFailed,
                        ErrorStatus = status,
                        ErrorMessage = message,
                    });
                    context.Saga.CompensationError ??= message;
                }),
            // A final event again (redelivered because the sidecar died before its outbox published WorkflowEnded, or
            // from a slip sent twice) changes nothing but publishes WorkflowEnded again: it is published at least once.
            When(SlipCompleted)
                .If(context => !IsFinal(context.Saga), then => then
                    .Then(context =>
                    {
                        RecordSizes(context.Saga, context.Message.Variables, context.Message.Timestamp);
                        context.Saga.CurrentStep = context.Saga.Steps.Count;
                        context.Saga.EndedAt = timeProvider.GetUtcNow();
                    })
                    .TransitionTo(Completed))
                .PublishAsync(context => context.Init<WorkflowEnded>(Ended(context.Saga))),
            When(SlipFaulted)
                .If(context => !IsFinal(context.Saga), then => then
                    .Then(context =>
                    {
                        RecordSizes(context.Saga, context.Message.Variables, context.Message.Timestamp);
                        foreach (var exception in context.Message.ActivityExceptions)
                        {
                            MarkFaulted(context.Saga, StepActivity.StepOf(exception.Name), exception.ExceptionInfo);
                        }

                        // The slip faults only after every compensation succeeded.
                        for (var step = 0; step < context.Saga.Steps.Count; step++)
                        {
                            Update(context.Saga, step, record => record.Status == WorkflowStepStatus.Completed && !string.IsNullOrEmpty(record.CompensationMethod)
                                ? record with { Status = WorkflowStepStatus.Compensated }
                                : record);
                        }

                        context.Saga.EndedAt = timeProvider.GetUtcNow();
                    })
                    .IfElse(context => WasTerminated(context.Message),
                        terminated => terminated.TransitionTo(Terminated),
                        failed => failed.IfElse(context => HasCompensableSteps(context.Saga),
                            compensated => compensated.TransitionTo(Compensated),
                            nothing => nothing.TransitionTo(Failed))))
                .PublishAsync(context => context.Init<WorkflowEnded>(Ended(context.Saga))),
            When(SlipCompensationFailed)
                .If(context => !IsFinal(context.Saga), then => then
                    .Then(context =>
                    {
                        context.Saga.CompensationError ??= StepFailedException.Parse(context.Message.ExceptionInfo?.Message).Message;
                        context.Saga.EndedAt = timeProvider.GetUtcNow();
                    })
                    .TransitionTo(CompensationFailed))
                .PublishAsync(context => context.Init<WorkflowEnded>(Ended(context.Saga))));
    }

    public State Running { get; private set; } = null!;

    public State Completed { get; private set; } = null!;

    public State Failed { get; private set; } = null!;

    public State Compensating { get; private set; } = null!;

    public State Compensated { get; private set; } = null!;

    public State CompensationFailed { get; private set; } = null!;

    public State Terminated { get; private set; } = null!;

    public Event<StartWorkflow> Start { get; private set; } = null!;

    public Event<TerminateWorkflow> Terminate { get; private set; } = null!;

    public Event<RoutingSlipActivityCompleted> StepCompleted { get; private set; } = null!;

    public Event<RoutingSlipActivityFaulted> StepFaulted { get; private set; } = null!;

    public Event<RoutingSlipActivityCompensated> StepCompensated { get; private set; } = null!;

    public Event<RoutingSlipActivityCompensationFailed> StepCompensationFailed { get; private set; } = null!;

    public Event<RoutingSlipCompleted> SlipCompleted { get; private set; } = null!;

    public Event<RoutingSlipFaulted> SlipFaulted { get; private set; } = null!;

    public Event<RoutingSlipCompensationFailed> SlipCompensationFailed { get; private set; } = null!;

    /// <summary>A state's name as the API shows it: "CompensationFailed" → "COMPENSATION_FAILED".</summary>
    public static string StatusName(string state) =>
        string.Concat(state.Select((character, index) => char.IsUpper(character) && index > 0 ? "_" + character : char.ToUpperInvariant(character).ToString()));

    /// <summary>Whether an instance's state is one it never leaves.</summary>
    public static bool IsFinal(WorkflowState instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return Enum.TryParse<WorkflowStatus>(instance.CurrentState, out var status)
            && status is not (WorkflowStatus.Running or WorkflowStatus.Compensating);
    }

    private static RoutingSlip Slip(WorkflowState instance, StartWorkflow start, WorkflowTopology topology) =>
        WorkflowRoutingSlips.Build(instance.CorrelationId, instance.InstanceId, start.Input, start.Steps, topology.ExecuteAddress, topology.SagaAddress);

    private static bool HasProgress(WorkflowState instance) =>
        instance.Error is not null || instance.Steps.Any(step => step.Status != WorkflowStepStatus.Pending);

    // An event for an instance this endpoint does not know (another sidecar's, with in-memory sagas) is dropped, not dead-lettered.
    private static void FromSlip<T>(IEventCorrelationConfigurator<WorkflowState, T> e, Func<ConsumeContext<T>, Guid> correlation)
        where T : class
    {
        e.CorrelateById(correlation);
        e.OnMissingInstance(missing => missing.Discard());
    }

    private static void Begin(WorkflowState instance, StartWorkflow start, DateTimeOffset now)
    {
        instance.InstanceId = start.InstanceId;
        instance.WorkflowName = start.WorkflowName;
        instance.StartedBy = start.StartedBy;
        instance.InputSize = start.Input.Length;
        instance.StartedAt = now;
        instance.Steps = [.. start.Steps.Select(step => new WorkflowStepRecord
        {
            AppId = step.AppId,
            Method = step.Method,
            CompensationMethod = string.IsNullOrEmpty(step.CompensationMethod) ? null : step.CompensationMethod,
            HasData = step.Data is not null,
        })];
    }

    private static WorkflowAccepted Accepted(WorkflowState instance) =>
        new() { CorrelationId = instance.CorrelationId, InstanceId = instance.InstanceId, Status = StatusName(instance.CurrentState) };

    private static WorkflowEnded Ended(WorkflowState instance) => new()
    {
        InstanceId = instance.InstanceId,
        WorkflowName = instance.WorkflowName,
        StartedBy = instance.StartedBy,
        Status = StatusName(instance.CurrentState),
        Error = instance.CompensationError ?? instance.Error?.Message,
        StartedAt = instance.StartedAt,
        EndedAt = instance.EndedAt ?? instance.StartedAt,
    };

    private static bool WasTerminated(RoutingSlipFaulted faulted) =>
        faulted.ActivityExceptions.Any(exception => exception.ExceptionInfo?.ExceptionType?.EndsWith(nameof(WorkflowTerminatedException), StringComparison.Ordinal) == true);

    private static bool HasCompensableSteps(WorkflowState instance) =>
        instance.Steps.Any(step => step.Status is WorkflowStepStatus.Completed or WorkflowStepStatus.Compensated && !string.IsNullOrEmpty(step.CompensationMethod));

    private static void RecordSizes(WorkflowState instance, IDictionary<string, object> variables, DateTime timestamp)
    {
        for (var step = 0; step < instance.Steps.Count; step++)
        {
            if (ReadInt(variables, StepActivity.OutputSizeVariable(step)) is { } size)
            {
                MarkCompleted(instance, step, size, timestamp);
            }
        }
    }

    // Variables arrive as whatever the serializer made of them: a number, or a JSON element holding one.
    private static int? ReadInt(IDictionary<string, object>? variables, string key) =>
        variables is not null && variables.TryGetValue(key, out var value)
            ? value switch
            {
                int number => number,
                long number => (int)number,
                JsonElement { ValueKind: JsonValueKind.Number } element when element.TryGetInt32(out var number) => number,
                string text when int.TryParse(text, CultureInfo.InvariantCulture, out var number) => number,
                IConvertible convertible => ToInt(convertible),
                _ => null,
            }
            : null;

    // A variable that is not a number is no size; it must not fault (and dead-letter) the saga's message.
    private static int? ToInt(IConvertible value)
    {
        try
        {
            return value.ToInt32(CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is FormatException or InvalidCastException or OverflowException)
        {
            return null;
        }
    }

    private static void MarkCompleted(WorkflowState instance, int step, int? size, DateTime timestamp) =>
        Update(instance, step, record => record with
        {
            Status = Rank(record.Status) < Rank(WorkflowStepStatus.Completed) ? WorkflowStepStatus.Completed : record.Status,
            OutputSize = size ?? record.OutputSize,
            CompletedAt = record.CompletedAt ?? new DateTimeOffset(DateTime.SpecifyKind(timestamp, DateTimeKind.Utc)),
        });

    private static void MarkFaulted(WorkflowState instance, int step, ExceptionInfo? exception)
    {
        if (step < 0 || step >= instance.Steps.Count)
        {
            return;
        }

        var terminated = exception?.ExceptionType?.EndsWith(nameof(WorkflowTerminatedException), StringComparison.Ordinal) == true;
        var (status, message) = terminated ? ("CANCELLED", exception?.Message ?? "") : StepFailedException.Parse(exception?.Message);
        instance.CurrentStep = step;
        instance.Error ??= new WorkflowError(step, instance.Steps[step].AppId, status, message);

        // A step that was terminated before it ran stays pending: it never ran.
        if (!terminated)
        {
            Update(instance, step, record => record with { Status = WorkflowStepStatus.Failed, ErrorStatus = status, ErrorMessage = message });
        }
    }

    /// <summary>Replaces one step's record; a record only moves forward (pending, completed or failed, compensated or not).</summary>
    private static void Update(WorkflowState instance, int step, Func<WorkflowStepRecord, WorkflowStepRecord> change)
    {
        if (step < 0 || step >= instance.Steps.Count)
        {
            return;
        }

        var steps = instance.Steps.ToArray();
        var changed = change(steps[step]);
        if (Rank(changed.Status) < Rank(steps[step].Status))
        {
            return;
        }

        steps[step] = changed;
        instance.Steps = steps;
    }

    private static int Rank(WorkflowStepStatus status) => status switch
    {
        WorkflowStepStatus.Pending => 0,
        WorkflowStepStatus.Completed or WorkflowStepStatus.Failed => 1,
        _ => 2,
    };
}
