using System.Diagnostics;
using System.Diagnostics.Metrics;
using BusRuntime.Core.Configuration;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Invoke;

/// <summary>
/// The invoke meter: calls this sidecar made and their statuses, requests it served for its app, and
/// every governance decision (retry, breaker, timeout, limiter). Every measurement carries the app id.
/// </summary>
public sealed class InvokeMetrics
{
    public const string MeterName = "BusRuntime.Invoke";

    // Owned and disposed by the IMeterFactory that created it.
    private readonly Meter meter;
    private readonly Counter<long> calls;
    private readonly Histogram<double> callDuration;
    private readonly Counter<long> served;
    private readonly Counter<long> decisions;

    private readonly string appId;

    public InvokeMetrics(IMeterFactory meterFactory, IOptions<RuntimeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(options);
        appId = options.Value.AppId;
        meter = meterFactory.Create(MeterName);
        calls = meter.CreateCounter<long>("busruntime.invoke.calls", "{call}", "Invocations this app made, by target and final status.");
        callDuration = meter.CreateHistogram<double>("busruntime.invoke.call.duration", "s", "Time from an invocation to its answer, retries included.");
        served = meter.CreateCounter<long>("busruntime.invoke.served", "{request}", "Requests this sidecar served for its app, by status (expired: skipped, the caller had given up).");
        decisions = meter.CreateCounter<long>("busruntime.invoke.governance", "{decision}", "Governance decisions by target: retry, breaker_opened, breaker_half_opened, breaker_closed, breaker_rejected, timeout, limiter_rejected.");
    }

    public void Called(string target, string status, TimeSpan elapsed)
    {
        var tags = new TagList { { "app_id", appId }, { "target", target }, { "status", status } };
        calls.Add(1, tags);
        callDuration.Record(elapsed.TotalSeconds, tags);
    }

    public void Served(string status) => served.Add(1, new TagList { { "app_id", appId }, { "status", status } });

    public void Decided(string target, string decision) =>
        decisions.Add(1, new TagList { { "app_id", appId }, { "target", target }, { "decision", decision } });
}
