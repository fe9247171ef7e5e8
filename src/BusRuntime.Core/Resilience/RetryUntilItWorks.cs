using Polly;
using Polly.Retry;

namespace BusRuntime.Core.Resilience;

/// <summary>
/// The retry of the pipelines that wait on something which may come later than the sidecar (the app, the broker): the
/// failures <c>shouldHandle</c> names are tried again with exponential backoff from <see cref="FirstDelay"/> to
/// <see cref="MaxDelay"/>, without a limit on attempts, until it works or the sidecar stops (its token ends the wait).
/// </summary>
public static class RetryUntilItWorks
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    /// <summary>Adds the retry; <paramref name="onRetry"/> hears of each failure with the number of the attempt that follows.</summary>
    public static ResiliencePipelineBuilder AddRetryUntilItWorks(this ResiliencePipelineBuilder builder, PredicateBuilder<object> shouldHandle, Action<Exception?, int> onRetry)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(shouldHandle);
        ArgumentNullException.ThrowIfNull(onRetry);
        return builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = FirstDelay,
            MaxDelay = MaxDelay,
            ShouldHandle = shouldHandle,
            OnRetry = retry =>
            {
                onRetry(retry.Outcome.Exception, retry.AttemptNumber + 1);
                return ValueTask.CompletedTask;
            },
        });
    }
}
