using BusRuntime.Contracts;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.DependencyInjection;
using Polly.RateLimiting;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace BusRuntime.Core.Invoke;

/// <summary>
/// One Polly pipeline per target app (<see cref="ResiliencePipelines.Invoke"/>), built on first use from its
/// <see cref="InvokePolicyOptions"/>. Outermost first: the concurrency limit (a call waits for a slot, or fails
/// RESOURCE_EXHAUSTED), the retry of idempotent calls that failed UNAVAILABLE, the circuit breaker (each attempt
/// counts), and the timeout of one attempt. Every decision is logged and counted.
/// </summary>
public sealed class InvokeGovernance(ResiliencePipelineProvider<ResiliencePipelineKey> pipelines, IOptions<InvokeOptions> options)
{
    /// <summary>Whether the call in a pipeline's context may be retried.</summary>
    public static readonly ResiliencePropertyKey<bool> Idempotent = new("busruntime.invoke.idempotent");

    /// <summary>The method being called, for the logs of the decisions.</summary>
    public static readonly ResiliencePropertyKey<string> Method = new("busruntime.invoke.method");

    private static readonly HashSet<string> IdempotentVerbs = new(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Idempotent: an HTTP verb that is by definition (GET, HEAD, PUT, DELETE, OPTIONS), or a method the
    /// target's policy lists in IdempotentMethods. Nothing else is retried.
    /// </summary>
    public bool IsIdempotent(InvokeCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return IdempotentVerbs.Contains(call.HttpVerb)
            || options.Value.PolicyFor(call.AppId).IdempotentMethods.Contains(call.Method, StringComparer.Ordinal);
    }

    public ResiliencePipeline<InvokeResponse> PipelineFor(string appId) =>
        pipelines.GetPipeline<InvokeResponse>(new ResiliencePipelineKey(ResiliencePipelines.Invoke, appId));

    /// <summary>Builds the pipeline of the target app id in the context's key.</summary>
    internal static void Configure(ResiliencePipelineBuilder<InvokeResponse> builder, AddResiliencePipelineContext<ResiliencePipelineKey> context)
    {
        var services = context.ServiceProvider;
        var target = context.PipelineKey.Target;
        Build(
            builder,
            target,
            services.GetRequiredService<IOptions<InvokeOptions>>().Value.PolicyFor(target),
            services.GetRequiredService<InvokeMetrics>(),
            services.GetRequiredService<ILogger<InvokeGovernance>>());
    }

    private static void Build(ResiliencePipelineBuilder<InvokeResponse> builder, string target, InvokePolicyOptions policy, InvokeMetrics metrics, ILogger logger)
    {
        builder.AddRateLimiter(new RateLimiterStrategyOptions
        {
            DefaultRateLimiterOptions = new System.Threading.RateLimiting.ConcurrencyLimiterOptions
            {
                PermitLimit = policy.ConcurrencyLimit,
                QueueLimit = policy.QueueLimit,
                QueueProcessingOrder = System.Threading.RateLimiting.QueueProcessingOrder.OldestFirst,
            },
            OnRejected = rejected =>
            {
                Log.LimiterRejected(logger, target, rejected.Context.Properties.GetValue(Method, ""), policy.ConcurrencyLimit, policy.QueueLimit);
                metrics.Decided(target, "limiter_rejected");
                return ValueTask.CompletedTask;
            },
        });

        if (policy.RetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<InvokeResponse>
            {
                MaxRetryAttempts = policy.RetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = policy.RetryDelay,
                MaxDelay = policy.RetryMaxDelay,
                ShouldHandle = arguments => ValueTask.FromResult(
                    arguments.Context.Properties.GetValue(Idempotent, false) && IsUnavailable(arguments.Outcome)),
                OnRetry = retry =>
                {
                    Log.Retrying(logger, target, retry.Context.Properties.GetValue(Method, ""), retry.AttemptNumber + 1, retry.RetryDelay, Describe(retry.Outcome));
                    metrics.Decided(target, "retry");
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<InvokeResponse>
        {
            FailureRatio = policy.BreakerFailureRatio,
            MinimumThroughput = policy.BreakerMinimumThroughput,
            SamplingDuration = policy.BreakerSamplingDuration,
            BreakDuration = policy.BreakDuration,
            ShouldHandle = arguments => ValueTask.FromResult(IsFailure(arguments.Outcome)),
            OnOpened = opened =>
            {
                Log.BreakerOpened(logger, target, opened.BreakDuration, Describe(opened.Outcome));
                metrics.Decided(target, "breaker_opened");
                return ValueTask.CompletedTask;
            },
            OnHalfOpened = _ =>
            {
                Log.BreakerHalfOpened(logger, target);
                metrics.Decided(target, "breaker_half_opened");
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                Log.BreakerClosed(logger, target);
                metrics.Decided(target, "breaker_closed");
                return ValueTask.CompletedTask;
            },
        });

        if (policy.Timeout is { } timeout)
        {
            builder.AddTimeout(new TimeoutStrategyOptions
            {
                Timeout = timeout,
                OnTimeout = timedOut =>
                {
                    Log.AttemptTimedOut(logger, target, timedOut.Context.Properties.GetValue(Method, ""), timedOut.Timeout);
                    metrics.Decided(target, "timeout");
                    return ValueTask.CompletedTask;
                },
            });
        }
    }

    private static bool IsUnavailable(Outcome<InvokeResponse> outcome) =>
        outcome.Exception is RuntimeException { Code: ErrorCode.Unavailable }
        || outcome.Result?.StatusCode == InvokeStatus.Unavailable;

    private static bool IsFailure(Outcome<InvokeResponse> outcome) => outcome.Exception switch
    {
        RuntimeException failure => failure.Code is ErrorCode.Unavailable or ErrorCode.DeadlineExceeded,
        TimeoutRejectedException => true,
        null => outcome.Result is { } response && InvokeStatus.IsFailure(response.StatusCode),
        _ => false,
    };

    private static string Describe(Outcome<InvokeResponse> outcome) =>
        outcome.Exception?.Message ?? $"{InvokeStatus.Name(outcome.Result?.StatusCode ?? InvokeStatus.Ok)}: {outcome.Result?.StatusMessage}";
}
