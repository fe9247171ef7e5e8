using System.ComponentModel.DataAnnotations;

namespace BusRuntime.Core.Invoke;

/// <summary>
/// How calls to one target app are governed: <c>BusRuntime:Invoke:Defaults</c> for every target, and
/// <c>BusRuntime:Invoke:Targets:{appId}</c> on top of the defaults for one. The messages name the key
/// after the section, which <see cref="InvokeOptionsValidator"/> puts in front.
/// </summary>
public sealed class InvokePolicyOptions
{
    /// <summary>The longest one attempt may take; none by default (the caller's deadline bounds the call).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "Timeout must be between 00:00:00.001 and 01:00:00.")]
    public TimeSpan? Timeout { get; set; }

    /// <summary>Retries of an idempotent call that failed UNAVAILABLE; 0 turns retries off.</summary>
    [Range(0, 10, ErrorMessage = "RetryAttempts must be between 0 and 10.")]
    public int RetryAttempts { get; set; } = 2;

    /// <summary>The first retry's delay; later ones double, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "RetryDelay must be between 00:00:00 and 00:01:00.")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "RetryMaxDelay must be between 00:00:00 and 00:10:00.")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Methods that are safe to call twice, so they are retried whatever their HTTP verb (calls with the
    /// verb GET, HEAD, PUT, DELETE or OPTIONS are idempotent anyway). A target's list adds to the defaults'.
    /// </summary>
    public List<string> IdempotentMethods { get; set; } = [];

    /// <summary>The share of failed calls within <see cref="BreakerSamplingDuration"/> that opens the breaker.</summary>
    [Range(0.01, 1.0, ErrorMessage = "BreakerFailureRatio must be between 0.01 and 1.")]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>How many calls the sampling window needs before the breaker may open.</summary>
    [Range(2, 100_000, ErrorMessage = "BreakerMinimumThroughput must be between 2 and 100000.")]
    public int BreakerMinimumThroughput { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00", ErrorMessage = "BreakerSamplingDuration must be between 00:00:00.500 and 00:10:00.")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an open breaker fails calls at once before it lets one probe through (half-open).</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00", ErrorMessage = "BreakDuration must be between 00:00:00.500 and 01:00:00.")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Calls to the target in flight from this sidecar at the same time.</summary>
    [Range(1, 100_000, ErrorMessage = "ConcurrencyLimit must be between 1 and 100000.")]
    public int ConcurrencyLimit { get; set; } = 1000;

    /// <summary>Calls that wait for a slot when <see cref="ConcurrencyLimit"/> are in flight; beyond them a call fails RESOURCE_EXHAUSTED.</summary>
    [Range(0, 1_000_000, ErrorMessage = "QueueLimit must be between 0 and 1000000.")]
    public int QueueLimit { get; set; } = 10_000;
}
