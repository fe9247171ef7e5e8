using BusRuntime.Contracts;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Telemetry;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Invoke;

/// <summary>
/// Answers one invoke request through the app, unless its caller has already given up: a request whose
/// expiry has passed is skipped, and one that expires while the app works is not answered. An answer over
/// <paramref name="maxPayloadBytes"/> goes back as RESOURCE_EXHAUSTED instead of its data.
/// </summary>
internal sealed class InvokeRequestConsumer(IInvokeHandler handler, InvokeMetrics metrics, TimeProvider timeProvider, int maxPayloadBytes, ILogger logger) : IConsumer<InvokeRequest>
{
    public async Task Consume(ConsumeContext<InvokeRequest> context)
    {
        var request = context.Message;
        using var activity = RuntimeActivities.StartServe(request.AppId, request.Source, request.Method, context.Headers);
        var remaining = request.ExpiresAt - timeProvider.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            Log.SkippedExpired(logger, context.RequestId, request.Source, request.Method, -remaining);
            metrics.Served("expired");
            RuntimeActivities.Fail(activity, "Expired", "the caller had given up before the request was taken");
            return;
        }

        using var untilExpiry = new CancellationTokenSource(remaining < InvokeOptions.LongestCall ? remaining : InvokeOptions.LongestCall, timeProvider);
        using var window = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, untilExpiry.Token);
        InvokeResponse response;
        try
        {
            response = await handler.HandleAsync(request, window.Token).ConfigureAwait(false);
        }
        catch (Exception) when (untilExpiry.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            // Cancelled, or the app's own call ran into the same deadline: either way the caller is gone.
            Log.ExpiredWhileServing(logger, context.RequestId, request.Source, request.Method);
            metrics.Served("expired");
            RuntimeActivities.Fail(activity, "Expired", "the caller gave up while the app worked");
            return;
        }
        catch (Exception exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            Log.ServeFailed(logger, context.RequestId, request.Source, request.Method, exception);
            response = new InvokeResponse
            {
                StatusCode = InvokeStatus.Internal,
                StatusMessage = $"the sidecar of app {Quoted.Of(request.AppId)} could not call it: {exception.Message}",
            };
        }

        if (response.Data.Length > maxPayloadBytes)
        {
            response = new InvokeResponse
            {
                StatusCode = InvokeStatus.ResourceExhausted,
                StatusMessage = $"the answer of app {Quoted.Of(request.AppId)} to method {Quoted.Of(request.Method)} is {response.Data.Length} bytes, over the maximum of {maxPayloadBytes} bytes (BusRuntime:MaxPayloadBytes of its sidecar).",
            };
        }

        metrics.Served(InvokeStatus.Name(response.StatusCode));
        activity?.SetTag(RuntimeActivities.RpcStatusTag, response.StatusCode);
        if (response.StatusCode != InvokeStatus.Ok)
        {
            RuntimeActivities.Fail(activity, InvokeStatus.Name(response.StatusCode).ToUpperInvariant(), response.StatusMessage);
        }

        await context.RespondAsync(response, send => send.Durable = false).ConfigureAwait(false);
    }
}
