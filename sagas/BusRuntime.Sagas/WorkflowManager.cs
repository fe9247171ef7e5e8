using System.Text;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Invoke;
using BusRuntime.Core.Security;
using BusRuntime.Core.Workflows;
using BusRuntime.Sagas.Configuration;
using BusRuntime.Sagas.Messages;
using BusRuntime.Sagas.Workflows;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Sagas;

/// <summary>
/// The façades' <see cref="IWorkflows"/>: validates a start, resolves named workflows, and asks the saga, which
/// answers only after it saved the instance; reads instances from the saga repository.
/// </summary>
public sealed class WorkflowManager(
    IClientFactory clients,
    WorkflowTopology topology,
    IWorkflowInstances reader,
    IOptions<WorkflowsOptions> options,
    IOptions<RuntimeOptions> runtimeOptions,
    TimeProvider timeProvider,
    ILogger<WorkflowManager> logger) : IWorkflows
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The most steps one workflow may have: its routing slip and saga instance travel as one message each.</summary>
    public const int MaxSteps = 100;

    public async Task<string> StartAsync(string? workflowName, string? instanceId, ReadOnlyMemory<byte> input, IReadOnlyList<WorkflowStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        workflowName ??= "";
        if (steps.Count == 0)
        {
            steps = NamedSteps(workflowName);
        }
        else if (workflowName.Length > 0 && !Names.IsValidComponentName(workflowName))
        {
            throw RuntimeException.InvalidArgument($"workflow_name {Quoted.Of(workflowName)} must match {Names.ComponentNamePattern}.");
        }

        if (steps.Count > MaxSteps)
        {
            throw RuntimeException.InvalidArgument($"steps has {steps.Count} steps, over the maximum of {MaxSteps}.");
        }

        for (var index = 0; index < steps.Count; index++)
        {
            var step = steps[index];
            if (string.IsNullOrEmpty(step.AppId))
            {
                throw RuntimeException.InvalidArgument($"steps[{index}].app_id is empty; name the app the step invokes.");
            }

            if (!Names.IsValidAppId(step.AppId))
            {
                throw RuntimeException.InvalidArgument($"steps[{index}].app_id {Quoted.Of(step.AppId)} must match {Names.AppIdPattern}.");
            }

            if (string.IsNullOrEmpty(step.Method))
            {
                throw RuntimeException.InvalidArgument($"steps[{index}].method is empty; name the method of app '{step.AppId}' the step invokes.");
            }

            // Checked as the step's invocation will check it, now rather than when the step runs; a NUL would
            // also make PostgreSQL refuse the workflow's saga instance, and the workflow would be lost.
            EnsureInvokable(step.Method, $"steps[{index}].method");
            if (!string.IsNullOrEmpty(step.CompensationMethod))
            {
                EnsureInvokable(step.CompensationMethod, $"steps[{index}].compensation_method");
            }

            if (step.Data?.Length > runtimeOptions.Value.MaxPayloadBytes)
            {
                throw RuntimeException.InvalidArgument($"steps[{index}].data is {step.Data.Length} bytes, over the maximum of {runtimeOptions.Value.MaxPayloadBytes} bytes (BusRuntime:MaxPayloadBytes).");
            }
        }

        if (input.Length > runtimeOptions.Value.MaxPayloadBytes)
        {
            throw RuntimeException.InvalidArgument($"input is {input.Length} bytes, over the maximum of {runtimeOptions.Value.MaxPayloadBytes} bytes (BusRuntime:MaxPayloadBytes).");
        }

        // The routing slip carries the input and every step's data in one message.
        var total = input.Length + steps.Sum(step => (long)(step.Data?.Length ?? 0));
        if (total > runtimeOptions.Value.MaxPayloadBytes)
        {
            throw RuntimeException.InvalidArgument($"input and the steps' data are {total} bytes together, over the maximum of {runtimeOptions.Value.MaxPayloadBytes} bytes (BusRuntime:MaxPayloadBytes).");
        }

        instanceId = string.IsNullOrEmpty(instanceId) ? WorkflowInstanceIds.NewId() : EnsureValidId(instanceId);
        var correlationId = WorkflowInstanceIds.ToCorrelationId(runtimeOptions.Value.AppId, instanceId);
        await RequestAsync(new StartWorkflow
        {
            CorrelationId = correlationId,
            InstanceId = instanceId,
            WorkflowName = workflowName,
            StartedBy = runtimeOptions.Value.AppId,
            Input = input.ToArray(),
            Steps = steps,
        }, "start", cancellationToken).ConfigureAwait(false);
        Log.Started(logger, instanceId, workflowName, steps.Count);
        return instanceId;
    }

    public async Task<WorkflowInstance> GetAsync(OperationsView view, string instanceId, string? appId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        EnsureValidId(instanceId);
        var ownAppId = runtimeOptions.Value.AppId;
        var startedBy = string.IsNullOrEmpty(appId) ? ownAppId : appId;
        if (!Names.IsValidAppId(startedBy))
        {
            throw RuntimeException.InvalidArgument($"app_id {Quoted.Of(startedBy)} must match {Names.AppIdPattern}.");
        }

        if (!view.Includes(startedBy))
        {
            throw RuntimeException.PermissionDenied(
                $"app_id {Quoted.Of(startedBy)} is another app's: the sidecar of app '{ownAppId}' shows its own app's workflow instances only; "
                + $"every app's are shown through busruntime.v1.Operations with the operator token ({OperatorTokenGuard.HeaderName}).");
        }

        // An id another app started derives another key: it is not found, exactly as an id nobody started.
        var state = await reader.FindAsync(WorkflowInstanceIds.ToCorrelationId(startedBy, instanceId), cancellationToken).ConfigureAwait(false)
            ?? throw RuntimeException.NotFound($"instance_id {Quoted.Of(instanceId)} names no workflow instance.");
        return state.ToInstance();
    }

    /// <remarks>A step that is running when the request arrives completes.</remarks>
    public async Task TerminateAsync(string instanceId, string? reason, CancellationToken cancellationToken)
    {
        EnsureValidId(instanceId);
        await RequestAsync(new TerminateWorkflow
        {
            CorrelationId = WorkflowInstanceIds.ToCorrelationId(runtimeOptions.Value.AppId, instanceId),
            InstanceId = instanceId,
            Reason = reason ?? "",
        }, "terminate", cancellationToken).ConfigureAwait(false);
    }

    /// <remarks><paramref name="limit"/>: 1 to 1000, 0 means 100.</remarks>
    public async Task<IReadOnlyList<WorkflowInstance>> ListAsync(OperationsView view, string? status, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (limit is < 0 or > MaxLimit)
        {
            throw RuntimeException.InvalidArgument($"limit {limit} is out of range; it must be between 1 and {MaxLimit} (0 means {DefaultLimit}).");
        }

        WorkflowStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            var names = Enum.GetValues<WorkflowStatus>().ToDictionary(value => WorkflowStateMachine.StatusName(value.ToString()), StringComparer.OrdinalIgnoreCase);
            filter = names.TryGetValue(status, out var parsed)
                ? parsed
                : throw RuntimeException.InvalidArgument($"status {Quoted.Of(status)} is not one of: {string.Join(", ", names.Keys)}.");
        }

        var states = await reader.ListAsync(filter, view.AppId, limit == 0 ? DefaultLimit : limit, cancellationToken).ConfigureAwait(false);
        return [.. states.Select(state => state.ToInstance())];
    }

    private IReadOnlyList<WorkflowStep> NamedSteps(string workflowName)
    {
        var workflows = options.Value.Workflows;
        if (workflowName.Length == 0)
        {
            throw RuntimeException.InvalidArgument("steps is empty and workflow_name is empty; give the steps, or the name of a workflow in configuration (BusRuntime:Workflows).");
        }

        if (!workflows.TryGetValue(workflowName, out var definition))
        {
            throw RuntimeException.NotFound(workflows.Count == 0
                ? $"workflow_name {Quoted.Of(workflowName)} names no workflow: none is configured (BusRuntime:Workflows)."
                : $"workflow_name {Quoted.Of(workflowName)} names no workflow; configured: {string.Join(", ", workflows.Keys.Order(StringComparer.Ordinal))}.");
        }

        return [.. definition.Steps.Select(step => new WorkflowStep(
            step.AppId,
            step.Method,
            step.Data is null ? null : Encoding.UTF8.GetBytes(step.Data),
            string.IsNullOrEmpty(step.CompensationMethod) ? null : step.CompensationMethod))];
    }

    private static void EnsureInvokable(string method, string field)
    {
        if (InvokeMethod.Normalize(method, out var problem) is null)
        {
            throw RuntimeException.InvalidArgument($"{field}: {problem}");
        }
    }

    private static string EnsureValidId(string instanceId)
    {
        if (string.IsNullOrEmpty(instanceId))
        {
            throw RuntimeException.InvalidArgument("instance_id is empty; name the workflow instance.");
        }

        return WorkflowInstanceIds.IsValid(instanceId)
            ? instanceId
            : throw RuntimeException.InvalidArgument($"instance_id {Quoted.Of(instanceId)} must match {WorkflowInstanceIds.Pattern}.");
    }

    private async Task RequestAsync<T>(T request, string what, CancellationToken cancellationToken)
        where T : class
    {
        var timeout = options.Value.WorkflowRequestTimeout;
        try
        {
            await topology.Require().WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            throw RuntimeException.Unavailable($"the workflow endpoints are not connected to the bus yet (waited {timeout.TotalSeconds:0.###}s); is the broker up?", exception);
        }

        Response<WorkflowAccepted, WorkflowRejected> response;
        try
        {
            var client = clients.CreateRequestClient<T>(topology.SagaAddress, RequestTimeout.After(ms: (int)timeout.TotalMilliseconds));
            response = await client.GetResponse<WorkflowAccepted, WorkflowRejected>(request, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestTimeoutException exception)
        {
            throw RuntimeException.Unavailable($"the workflow saga did not confirm the {what} within {timeout.TotalSeconds:0.###}s (BusRuntime:WorkflowRequestTimeout).", exception);
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not RuntimeException)
        {
            throw RuntimeException.Unavailable($"the {what} request did not reach the workflow saga: {exception.Message}", exception);
        }

        if (response.Is(out Response<WorkflowRejected>? rejected))
        {
            throw new RuntimeException(rejected.Message.Code, rejected.Message.Message);
        }
    }
}
