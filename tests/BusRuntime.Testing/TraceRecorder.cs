using System.Collections.Concurrent;
using System.Diagnostics;
using BusRuntime.Core.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace BusRuntime.Testing;

/// <summary>
/// Records the spans of one trace as a sidecar's own tracing exports them: an export processor added to its
/// TracerProvider, keeping the sampled spans of its sources. Activity listeners are process-wide, so it also
/// gets the spans of every other sidecar and app in the test process; tell them apart by the app id tag.
/// </summary>
public sealed class TraceRecorder : IDisposable
{
    private readonly Exported exported;

    public TraceRecorder(ActivityTraceId traceId, TestSidecar sidecar)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        exported = new Exported(traceId);
        sidecar.Services.GetRequiredService<TracerProvider>().AddProcessor(exported);
    }

    /// <summary>The exported spans of the trace, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans => [.. exported.Spans];

    /// <summary>The exported spans of the runtime's own source (BusRuntime) for one app id.</summary>
    public IReadOnlyList<Activity> RuntimeSpans(string appId) =>
        [.. exported.Spans.Where(span => span.Source.Name == RuntimeActivities.SourceName && Equals(span.GetTagItem(RuntimeActivities.AppIdTag), appId))];

    /// <summary>Waits until a span that matches has been exported, or fails with the spans exported so far.</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> match, TimeSpan timeout)
    {
        Activity? found = null;
        await Poll.UntilAsync(() => (found = exported.Spans.FirstOrDefault(match)) is not null, timeout, () => $"no such span among {Describe()}");
        return found!;
    }

    /// <summary>
    /// Whether <paramref name="ancestor"/> is <paramref name="span"/>'s parent, or its parent's, and so on through
    /// exported spans: a span the sidecars do not export would leave a hole in the trace.
    /// </summary>
    public bool Descends(ActivitySpanId span, ActivitySpanId ancestor)
    {
        var byId = exported.Spans.ToDictionary(recorded => recorded.SpanId);
        var current = span;
        while (byId.TryGetValue(current, out var recorded))
        {
            if (recorded.ParentSpanId == ancestor)
            {
                return true;
            }

            current = recorded.ParentSpanId;
        }

        return false;
    }

    /// <summary>
    /// Waits until <see cref="Descends"/> holds, or the timeout passes, and says whether it holds: a span ends
    /// after its children, sometimes after the call that waits for them has returned.
    /// </summary>
    public async Task<bool> DescendsAsync(ActivitySpanId span, ActivitySpanId ancestor, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Descends(span, ancestor))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>Every exported span as "source/name span, parent span", for a failure message.</summary>
    public string Describe() =>
        string.Join("; ", exported.Spans.Select(span => $"{span.Source.Name}/{span.DisplayName} {span.SpanId}, parent {span.ParentSpanId}"));

    /// <summary>Stops recording; the processor stays with the sidecar's provider until the sidecar is disposed.</summary>
    public void Dispose() => exported.Stop();

    private sealed class Exported(ActivityTraceId traceId) : BaseProcessor<Activity>
    {
        private volatile bool stopped;

        public ConcurrentQueue<Activity> Spans { get; } = new();

        public void Stop() => stopped = true;

        public override void OnEnd(Activity data)
        {
            // What an export processor passes on: sampled spans only.
            if (!stopped && data.Recorded && data.TraceId == traceId)
            {
                Spans.Enqueue(data);
            }
        }
    }
}
