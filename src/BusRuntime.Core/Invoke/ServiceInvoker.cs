using System.Collections.Concurrent;
using System.Diagnostics;
using BusRuntime.Contracts;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Telemetry;
using BusRuntime.Core.Transport;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace BusRuntime.Core.Invoke;

/// <summary>
/// Calls a method of another app: an <see cref="InvokeRequest"/> sent with MassTransit's request client
/// to the app's exchange, where any live replica takes it, through the target's governance
/// (<see cref="InvokeGovernance"/>). The caller's deadline, or <see cref="InvokeOptions.DefaultTimeout"/>,
/// bounds the whole call and travels in the request as its expiry.
/// </summary>
public sealed class ServiceInvoker(
    IClientFactory clients,
    IBusTransport transport,
    InvokeServer server,
    InvokeGovernance governance,
    InvokeMetrics metrics,
    TimeProvider timeProvider,
    IOptions<RuntimeOptions> runtimeOptions,
    IOptions<InvokeOptions> invokeOptions,
    ILogger<ServiceInvoker> logger)
{
    private readonly ConcurrentDictionary<string, IRequestClient<InvokeRequest>> requestClients = new(StringComparer.Ordinal);

    /// <summary>
    /// Returns the target's answer when its status is OK. Throws <see cref="InvokeStatusException"/> with
    /// the target's own status otherwise, and <see cref="RuntimeException"/> when the call did not get an
    /// answer: INVALID_ARGUMENT, UNAVAILABLE (no replica, broker, open breaker), DEADLINE_EXCEEDED,
    /// RESOURCE_EXHAUSTED (concurrency limit). <paramref name="deadline"/> is the caller's; null when it set none.
    /// </summary>
    public async Task<InvokeResponse> InvokeAsync(InvokeCall call, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        InvokeValidation.EnsureValid(call, runtimeOptions.Value.MaxPayloadBytes);
        call = call with { Method = InvokeValidation.CleanMethod(call) };
        var started = timeProvider.GetTimestamp();
        var defaultTimeout = invokeOptions.Value.DefaultTimeout;
        var now = timeProvider.GetUtcNow();
        var expiresAt = deadline ?? now + defaultTimeout;

        // Timers and request timeouts take at most about 24 days, and no call needs more than a day.
        if (expiresAt > now + InvokeOptions.LongestCall)
        {
            expiresAt = now + InvokeOptions.LongestCall;
        }

        var status = "ok";
        using var activity = RuntimeActivities.StartInvoke(runtimeOptions.Value.AppId, call.AppId, call.Method);
        ResilienceContext? context = null;
        try
        {
            using var untilExpiry = new CancellationTokenSource(Positive(expiresAt - timeProvider.GetUtcNow()), timeProvider);
            using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, untilExpiry.Token);
            context = ResilienceContextPool.Shared.Get(window.Token);
            context.Properties.Set(InvokeGovernance.Idempotent, governance.IsIdempotent(call));
            context.Properties.Set(InvokeGovernance.Method, call.Method);
            var request = new InvokeRequest
            {
                AppId = call.AppId,
                Method = call.Method,
                Source = runtimeOptions.Value.AppId,
                Data = call.Data.ToArray(),
                ContentType = call.ContentType,
                DataTypeUrl = call.DataTypeUrl,
                HttpVerb = call.HttpVerb.ToUpperInvariant(),
                QueryString = call.QueryString,
                Metadata = call.Metadata,
                ExpiresAt = expiresAt,
            };

            InvokeResponse response;
            try
            {
                response = await governance.PipelineFor(call.AppId).ExecuteAsync(
                    static async (context, state) => await state.Invoker.SendAsync(state.Request, state.Activity, state.Caller, context.CancellationToken).ConfigureAwait(false),
                    context,
                    (Invoker: this, Request: request, Activity: activity, Caller: window.Token)).ConfigureAwait(false);
            }
            catch (Exception exception) when (IsExpiry(exception, untilExpiry, cancellationToken))
            {
                // The expiry ends the call whichever clock sees it first: this window or the request's timeout.
                throw RuntimeException.DeadlineExceeded(
                    deadline is null
                        ? $"app {Quoted.Of(call.AppId)} did not answer method {Quoted.Of(call.Method)} within {defaultTimeout.TotalSeconds:0.###}s (BusRuntime:Invoke:DefaultTimeout; the call set no deadline)."
                        : $"the call's deadline passed before app {Quoted.Of(call.AppId)} answered method {Quoted.Of(call.Method)}.",
                    exception);
            }
            catch (BrokenCircuitException exception)
            {
                Log.BreakerRejected(logger, call.AppId, call.Method);
                metrics.Decided(call.AppId, "breaker_rejected");
                throw RuntimeException.Unavailable(
                    $"the circuit breaker for app {Quoted.Of(call.AppId)} is open after repeated failures; calls fail at once until it lets a probe through{RetryAfter(exception.RetryAfter)}.",
                    exception);
            }
            catch (RateLimiterRejectedException exception)
            {
                throw RuntimeException.ResourceExhausted(
                    $"too many calls to app {Quoted.Of(call.AppId)} are in flight or waiting (BusRuntime:Invoke:Targets:{call.AppId}:ConcurrencyLimit and QueueLimit).",
                    exception);
            }
            catch (TimeoutRejectedException exception)
            {
                throw RuntimeException.DeadlineExceeded(
                    $"app {Quoted.Of(call.AppId)} did not answer method {Quoted.Of(call.Method)} within {exception.Timeout.TotalSeconds:0.###}s (BusRuntime:Invoke:Targets:{call.AppId}:Timeout).",
                    exception);
            }

            activity?.SetTag(RuntimeActivities.RpcStatusTag, response.StatusCode);
            if (response.RefusedBySidecar && response.StatusCode != InvokeStatus.Ok)
            {
                // The target's sidecar refused the call before its app saw it: this is the runtime's failure, not the app's.
                throw new RuntimeException(
                    (CanonicalCode)response.StatusCode switch
                    {
                        CanonicalCode.PermissionDenied => ErrorCode.PermissionDenied,
                        CanonicalCode.Unavailable => ErrorCode.Unavailable,
                        _ => ErrorCode.InvalidArgument,
                    },
                    response.StatusMessage);
            }

            if (response.StatusCode != InvokeStatus.Ok)
            {
                status = InvokeStatus.Name(response.StatusCode);
                RuntimeActivities.Fail(activity, status.ToUpperInvariant(), response.StatusMessage);
                throw new InvokeStatusException(response);
            }

            return response;
        }
        catch (RuntimeException failure)
        {
            status = ToSnakeCase(failure.Code.ToString());
            RuntimeActivities.Fail(activity, failure.Code.ToString(), failure.Message);
            throw;
        }
        catch (OperationCanceledException)
        {
            status = "cancelled";
            RuntimeActivities.Fail(activity, "Cancelled", null);
            throw;
        }
        finally
        {
            if (context is not null)
            {
                ResilienceContextPool.Shared.Return(context);
            }

            metrics.Called(call.AppId, status, timeProvider.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// One attempt: one request on the bus, answered by one replica. <paramref name="caller"/> ends when the
    /// caller stops waiting; <paramref name="cancellationToken"/> also when the attempt's own timeout passes.
    /// </summary>
    private async Task<InvokeResponse> SendAsync(InvokeRequest request, Activity? activity, CancellationToken caller, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var remaining = request.ExpiresAt - now;
        if (remaining <= TimeSpan.Zero)
        {
            throw RuntimeException.DeadlineExceeded($"the deadline passed before app {Quoted.Of(request.AppId)} could be called.");
        }

        // The target's sidecar stops working on what this attempt gave up on: the attempt's own timeout travels
        // as the request's expiry. This side keeps waiting until the call's deadline, so that the attempt's
        // timeout (and not the expiry) reports itself and a retry can follow.
        if (invokeOptions.Value.PolicyFor(request.AppId).Timeout is { } attemptTimeout && now + attemptTimeout < request.ExpiresAt)
        {
            request = request with { ExpiresAt = now + attemptTimeout };
        }

        if (!transport.ReportsUnroutable && !server.Serves(request.AppId))
        {
            Log.NoReplica(logger, request.AppId, request.Method);
            throw RuntimeException.Unavailable(
                $"no replica of app {Quoted.Of(request.AppId)} serves invocations: on the {transport.Name} transport only this sidecar's own app can answer, and only with --app-port.");
        }

        var client = requestClients.GetOrAdd(request.AppId, appId => clients.CreateRequestClient<InvokeRequest>(new Uri($"exchange:{InvokeNames.Exchange(appId)}")));
        try
        {
            // The timeout also becomes the message's time to live: a request nobody took in time leaves the queue unseen.
            var response = await client.GetResponse<InvokeResponse>(
                request,
                pipe => pipe.UseExecute(send =>
                {
                    send.Durable = false;
                    transport.RequireRoute(send);
                    RuntimeActivities.Inject(activity, send);
                }),
                cancellationToken,
                RequestTimeout.After(ms: (int)Math.Ceiling(remaining.TotalMilliseconds))).ConfigureAwait(false);
            return response.Message;
        }
        catch (RequestTimeoutException exception)
        {
            throw RuntimeException.DeadlineExceeded($"app {Quoted.Of(request.AppId)} did not answer method {Quoted.Of(request.Method)} before the deadline.", exception);
        }
        catch (OperationCanceledException exception) when (caller.IsCancellationRequested)
        {
            // The caller stopped waiting (its deadline, usually a little before the sidecar's copy of it, which
            // arrived later by the call's transit time): the target did not answer in time, a failure the
            // circuit breaker must count — a cancellation it would count as a success.
            throw RuntimeException.DeadlineExceeded($"app {Quoted.Of(request.AppId)} did not answer method {Quoted.Of(request.Method)} before the caller stopped waiting.", exception);
        }
        catch (RequestFaultException exception)
        {
            // A .NET service on the bus that threw instead of answering.
            return new InvokeResponse
            {
                StatusCode = InvokeStatus.Unknown,
                StatusMessage = $"app {Quoted.Of(request.AppId)} failed on method {Quoted.Of(request.Method)}: {exception.Fault?.Exceptions.FirstOrDefault()?.Message ?? exception.Message}",
            };
        }
        catch (Exception exception) when (transport.IsUnroutable(exception))
        {
            Log.NoReplica(logger, request.AppId, request.Method);
            throw RuntimeException.Unavailable($"no replica of app {Quoted.Of(request.AppId)} is running: nothing consumes its invoke queue.", exception);
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not RuntimeException)
        {
            throw RuntimeException.Unavailable($"the broker did not take the request for app {Quoted.Of(request.AppId)}: {exception.Message}", exception);
        }
    }

    private static bool IsExpiry(Exception exception, CancellationTokenSource untilExpiry, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && exception switch
        {
            OperationCanceledException => untilExpiry.IsCancellationRequested,
            RuntimeException { Code: ErrorCode.DeadlineExceeded, InnerException: RequestTimeoutException or OperationCanceledException } => true,
            _ => false,
        };

    private static TimeSpan Positive(TimeSpan value) => value > TimeSpan.Zero ? value : TimeSpan.Zero;

    private static string RetryAfter(TimeSpan? retryAfter) =>
        retryAfter is { } after && after > TimeSpan.Zero ? $" (in about {after.TotalSeconds:0.#}s)" : "";

    private static string ToSnakeCase(string name) =>
        string.Concat(name.Select((character, index) => char.IsUpper(character) && index > 0 ? "_" + char.ToLowerInvariant(character) : char.ToLowerInvariant(character).ToString()));
}
