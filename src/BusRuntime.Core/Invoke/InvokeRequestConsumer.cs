using BusRuntime.Contracts;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Telemetry;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Invoke;

/// <summary>
/// Answers one invoke request through the app, unless its caller has already given up: a request whose
/// expiry has passed is skipped, and one that expires while the app works is not answered. The method is
/// cleaned (<see cref="InvokeMethod"/>) and the caller checked against the access control before the app
/// is called; a refusal is answered by this sidecar. An answer over <paramref name="maxPayloadBytes"/> goes
/// back as RESOURCE_EXHAUSTED instead of its data.
/// </summary>
internal sealed class InvokeRequestConsumer(
    IInvokeHandler handler, AccessControl.InvokeAccessControl accessControl, InvokeMetrics metrics, TimeProvider timeProvider, int maxPayloadBytes, ILogger logger) : IConsumer<InvokeRequest>
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

        var method = InvokeMethod.Normalize(request.Method, out var problem);
        if (Refusal(request, method, problem) is { } refusal)
        {
            Log.Refused(logger, context.RequestId, request.Source, request.Method, refusal.StatusMessage);
            metrics.Served(InvokeStatus.Name(refusal.StatusCode));
            activity?.SetTag(RuntimeActivities.RpcStatusTag, refusal.StatusCode);
            RuntimeActivities.Fail(activity, InvokeStatus.Name(refusal.StatusCode).ToUpperInvariant(), refusal.StatusMessage);
            await context.RespondAsync(refusal, send => send.Durable = false).ConfigureAwait(false);
            return;
        }

        // The app gets the method the access control matched.
        request = request with { Method = method! };
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

    private InvokeResponse? Refusal(InvokeRequest request, string? method, string? problem)
    {
        if (string.IsNullOrEmpty(method))
        {
            // A .NET service on the bus may send what a sidecar would have refused.
            return Refused(CanonicalCode.InvalidArgument, $"the sidecar of app '{request.AppId}' does not pass on method {Quoted.Of(request.Method)}: {problem ?? "it names no method once cleaned."}");
        }

        var reason = accessControl.Refusal(request.Source, method, request.HttpVerb.ToUpperInvariant());
        return reason is null ? null : Refused(CanonicalCode.PermissionDenied, reason);
    }

    private static InvokeResponse Refused(CanonicalCode code, string message) =>
        new() { StatusCode = (int)code, StatusMessage = message, RefusedBySidecar = true };
}
