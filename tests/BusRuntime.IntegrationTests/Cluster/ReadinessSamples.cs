using System.Collections.Concurrent;
using System.Diagnostics;
using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests.Cluster;

/// <summary>A sidecar's bus readiness, read every 100 ms on one clock, to tell how long it was not UP.</summary>
internal sealed class ReadinessSamples : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentQueue<(TimeSpan At, string Status)> samples = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;

    private ReadinessSamples(TestSidecar sidecar, Stopwatch clock)
    {
        sampling = Task.Run(() => SampleAsync(sidecar, clock));
    }

    public static ReadinessSamples Start(TestSidecar sidecar, Stopwatch clock) => new(sidecar, clock);

    /// <summary>The longest run of samples taken at or after <paramref name="from"/> whose bus status was not UP.</summary>
    public TimeSpan LongestNotUpAfter(TimeSpan from)
    {
        var longest = TimeSpan.Zero;
        TimeSpan? notUpSince = null;
        foreach (var (at, status) in samples.Where(sample => sample.At >= from))
        {
            if (status == "UP")
            {
                notUpSince = null;
                continue;
            }

            notUpSince ??= at;
            var run = at - notUpSince.Value + Interval;
            if (run > longest)
            {
                longest = run;
            }
        }

        return longest;
    }

    public string Describe(TimeSpan from) =>
        string.Join(", ", samples.Where(sample => sample.At >= from && sample.Status != "UP").Select(sample => $"{sample.At.TotalSeconds:0.0}s {sample.Status}"));

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }

    private async Task SampleAsync(TestSidecar sidecar, Stopwatch clock)
    {
        while (!stop.IsCancellationRequested)
        {
            var at = clock.Elapsed;
            try
            {
                samples.Enqueue((at, (await Readiness.ReadAsync(sidecar, "bus")).Component ?? "absent"));
            }
            catch (HttpRequestException exception)
            {
                samples.Enqueue((at, $"unanswered ({exception.Message})"));
            }

            try
            {
                await Task.Delay(Interval, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }
    }
}
