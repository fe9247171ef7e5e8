using BusRuntime.Core.Errors;
using BusRuntime.Core.Invoke;
using BusRuntime.Core.Resilience;
using BusRuntime.Core.Telemetry;
using BusRuntime.Sagas.Workflows;
using MassTransit;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Registry;
using Polly.Retry;

namespace BusRuntime.Sagas.Activities;

/// <summary>
/// Performs one workflow step through <see cref="ServiceInvoker"/>, the primitive InvokeService uses, and on
/// compensation invokes the step's compensation method with the step's output as its data.
/// </summary>
public sealed class StepActivity(
    ServiceInvoker invoker, IWorkflowInstances reader, ResiliencePipelineProvider<ResiliencePipelineKey> pipelines, ILogger<StepActivity> logger)
    : IActivity<StepArguments, StepLog>
{
    public const string DataVariable = "Data";

    /// <summary>The metadata (headers) a step's app gets, so it can tell a repeated step from a new one.</summary>
    public const string InstanceIdKey = "busruntime-workflow-instance-id";

    /// <summary>The step's index (0-based) in its workflow.</summary>
    public const string StepKey = "busruntime-workflow-step";

    /// <summary>The itinerary name of step <paramref name="step"/> (0-based).</summary>
    public static string ActivityName(int step) => $"step-{step}";

    /// <summary>The step index of an itinerary name, -1 when it is not one of ours.</summary>
    public static int StepOf(string? activityName) =>
        activityName is not null && activityName.StartsWith("step-", StringComparison.Ordinal)
            && int.TryParse(activityName.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture, out var step)
            ? step
            : -1;

    /// <summary>The routing slip variable that carries step <paramref name="step"/>'s output size.</summary>
    public static string OutputSizeVariable(int step) => $"OutputSize{step}";

    public async Task<ExecutionResult> Execute(ExecuteContext<StepArguments> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var arguments = context.Arguments;
        using var activity = RuntimeActivities.StartWorkflowStep(arguments.InstanceId, arguments.Step, arguments.AppId, arguments.Method, compensation: false);

        // Terminate sets the flag on the instance; a step that has not started yet does not start. A step
        // already running when the flag is set completes (an invoke cannot be recalled) and is compensated.
        var instance = await ReadInstanceAsync(context.TrackingNumber, arguments.Step, context.CancellationToken).ConfigureAwait(false);
        if (instance?.TerminateReason is { } reason)
        {
            RuntimeActivities.Fail(activity, "Terminated", reason);
            return context.Faulted(new WorkflowTerminatedException($"the workflow was terminated before step {arguments.Step} ran: {reason}"));
        }

        byte[] output;
        try
        {
            var data = string.IsNullOrEmpty(arguments.Data) ? [] : Convert.FromBase64String(arguments.Data);
            var response = await invoker.InvokeAsync(
                new InvokeCall(arguments.AppId, arguments.Method, data, "", "", "", StepMetadata(arguments.InstanceId, arguments.Step)),
                deadline: null,
                context.CancellationToken).ConfigureAwait(false);
            output = response.Data;
        }
        catch (Exception) when (context.CancellationToken.IsCancellationRequested)
        {
            // The sidecar is stopping, not the step failing: the message goes back to the queue and the step
            // runs again where the workflow continues, instead of failing (and compensating) the workflow.
            // Courier turns the exception into a fault, but sends the fault's events with this same cancelled
            // token, which the RabbitMQ transport refuses before publishing: nothing leaves, the message is not
            // acknowledged (WorkflowPostgresTests.SidecarStoppedWhileAStepOutlastsTheShutdownTimeout_*).
            throw new OperationCanceledException(context.CancellationToken);
        }
        catch (Exception exception) when (Describe(exception) is { } failure)
        {
            RuntimeActivities.Fail(activity, failure.Status, failure.Message);
            return context.Faulted(new StepFailedException(failure.Status, failure.Message, exception));
        }

        var outputText = Convert.ToBase64String(output);
        var variables = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [DataVariable] = outputText,
            [OutputSizeVariable(arguments.Step)] = output.Length,
        };
        return string.IsNullOrEmpty(arguments.CompensationMethod)
            ? context.CompletedWithVariables(variables)
            : context.CompletedWithVariables(
                new StepLog { Step = arguments.Step, AppId = arguments.AppId, CompensationMethod = arguments.CompensationMethod, Output = outputText, InstanceId = arguments.InstanceId },
                variables);
    }

    public async Task<CompensationResult> Compensate(CompensateContext<StepLog> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var log = context.Log;
        using var activity = RuntimeActivities.StartWorkflowStep(log.InstanceId, log.Step, log.AppId, log.CompensationMethod, compensation: true);
        try
        {
            await invoker.InvokeAsync(
                new InvokeCall(log.AppId, log.CompensationMethod, Convert.FromBase64String(log.Output), "", "", "", StepMetadata(log.InstanceId, log.Step)),
                deadline: null,
                context.CancellationToken).ConfigureAwait(false);
            return context.Compensated();
        }
        catch (Exception) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(context.CancellationToken);
        }
        catch (Exception exception) when (Describe(exception) is { } failure)
        {
            RuntimeActivities.Fail(activity, failure.Status, failure.Message);
            return context.Failed(new StepFailedException(failure.Status, $"compensation {log.CompensationMethod} of step {log.Step} on app '{log.AppId}' failed: {failure.Message}", exception));
        }
    }

    /// <summary>
    /// Reads the instance for its terminate flag, retrying while the store is unavailable. A store that stays
    /// unavailable must not fail the step (which would compensate the workflow for an outage), so the step
    /// then runs unchecked: terminate is best effort, as for a step already running.
    /// </summary>
    private async Task<WorkflowState?> ReadInstanceAsync(Guid correlationId, int step, CancellationToken cancellationToken)
    {
        try
        {
            return await pipelines.GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.WorkflowStep)).ExecuteAsync(
                static async (state, token) => await state.reader.FindAsync(state.correlationId, token).ConfigureAwait(false),
                (reader, correlationId),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeException exception) when (exception.Code == ErrorCode.Unavailable)
        {
            Log.TerminateCheckSkipped(logger, correlationId, step, exception.Message);
            return null;
        }
    }

    /// <summary>The retry of the read of the instance: UNAVAILABLE only, six attempts in all, waiting 100 ms after the first and twice as long after each next one.</summary>
    internal static void ConfigureRetry(ResiliencePipelineBuilder builder) =>
        builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 5,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(100),
            ShouldHandle = new PredicateBuilder().Handle<RuntimeException>(exception => exception.Code == ErrorCode.Unavailable),
        });

    private static Dictionary<string, string> StepMetadata(string instanceId, int step) => new(StringComparer.Ordinal)
    {
        [InstanceIdKey] = instanceId,
        [StepKey] = step.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The gRPC status name (busruntime.v1's) and message of an invoke that did not get an OK answer; null for anything else.</summary>
    private static (string Status, string Message)? Describe(Exception exception) => exception switch
    {
        InvokeStatusException status => (CanonicalCodes.Name(status.Response.StatusCode), status.Response.StatusMessage ?? ""),
        RuntimeException runtime => (CanonicalCodes.Name(ErrorTable.Of(runtime.Code).BusRuntimeGrpc), runtime.Message),
        FormatException format => (CanonicalCodes.Name(CanonicalCode.InvalidArgument), $"the step's data is not base64: {format.Message}"),
        _ => null,
    };
}
