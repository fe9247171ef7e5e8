using System.ComponentModel.DataAnnotations;

namespace BusRuntime.Core.Invoke;

/// <summary>Service invocation (configuration section "BusRuntime:Invoke").</summary>
public sealed class InvokeOptions
{
    public const string SectionName = "BusRuntime:Invoke";

    /// <summary>The longest any call may wait for its answer: a later deadline counts as this.</summary>
    public static readonly TimeSpan LongestCall = TimeSpan.FromDays(1);

    /// <summary>Bounds a call, retries included, when the calling app set no deadline.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "BusRuntime:Invoke:DefaultTimeout must be between 00:00:00.010 and 01:00:00.")]
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests this sidecar hands its app at the same time; more wait in the queue (or go to other replicas).</summary>
    [Range(1, 10_000, ErrorMessage = "BusRuntime:Invoke:ConcurrentRequests must be between 1 and 10000.")]
    public int ConcurrentRequests { get; set; } = 64;

    /// <summary>The governance of every target app.</summary>
    public InvokePolicyOptions Defaults { get; set; } = new();

    /// <summary>Per target app id: the defaults with this target's own keys on top (see <see cref="InvokeTargetsSetup"/>).</summary>
    public Dictionary<string, InvokePolicyOptions> Targets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The governance of calls to <paramref name="appId"/>.</summary>
    public InvokePolicyOptions PolicyFor(string appId) => Targets.TryGetValue(appId, out var policy) ? policy : Defaults;
}
