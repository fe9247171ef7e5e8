using BusRuntime.Contracts;
using BusRuntime.Core.Errors;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Jobs;

/// <summary>
/// Takes a tick from the app's jobs queue, delivers it to this sidecar's app (<see cref="IJobApp"/>) within
/// <paramref name="deliveryTimeout"/>, and answers whether the app took it. A tick of another app is refused, never
/// delivered: one app's jobs do not reach another's app, whatever a bus client sends.
/// </summary>
public sealed class JobTriggeredConsumer(IJobApp app, string appId, TimeSpan deliveryTimeout, TimeProvider timeProvider, ILogger logger) : IConsumer<JobTriggered>
{
    public async Task Consume(ConsumeContext<JobTriggered> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tick = context.Message;
        if (!string.Equals(tick.AppId, appId, StringComparison.Ordinal))
        {
            Log.JobTickOfAnotherApp(logger, tick.Name, tick.AppId, appId);
            await context.RespondAsync(new JobTriggerOutcome { Reason = $"this sidecar serves app {Quoted.Of(appId)}, not {Quoted.Of(tick.AppId)}." }).ConfigureAwait(false);
            return;
        }

        var data = tick.DataTypeUrl is null ? null : new JobData(tick.DataTypeUrl, tick.Data);
        using var timeout = new CancellationTokenSource(deliveryTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, timeout.Token);
        JobTriggerOutcome outcome;
        try
        {
            outcome = await app.DeliverAsync(tick.Name, data, linked.Token).ConfigureAwait(false)
                ? new JobTriggerOutcome { Taken = true }
                : new JobTriggerOutcome { Reason = "the app answered with a failure." };
        }
        catch (Exception exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            outcome = new JobTriggerOutcome { Reason = timeout.IsCancellationRequested ? $"the app did not answer within {deliveryTimeout}." : exception.Message };
        }

        await context.RespondAsync(outcome).ConfigureAwait(false);
    }
}
