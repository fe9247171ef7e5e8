using System.Collections.Concurrent;
using System.Diagnostics;

namespace BusRuntime.IntegrationTests.Cluster;

/// <summary>
/// How many events a subscriber had received, read every 50 ms on one clock, to tell the longest time no new event
/// arrived while events were being published.
/// </summary>
internal sealed class DeliveryGaps : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentQueue<(TimeSpan At, int Received)> samples = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;

    private DeliveryGaps(Func<int> received, Stopwatch clock)
    {
        sampling = Task.Run(() => SampleAsync(received, clock));
    }

    public static DeliveryGaps Start(Func<int> received, Stopwatch clock) => new(received, clock);

    /// <summary>The longest time between <paramref name="from"/> and <paramref name="to"/> in which the count did not grow.</summary>
    public TimeSpan LongestBetween(TimeSpan from, TimeSpan to)
    {
        var window = samples.Where(sample => sample.At >= from && sample.At <= to).ToList();
        var longest = TimeSpan.Zero;
        for (int start = 0, index = 1; index < window.Count; index++)
        {
            if (window[index].Received != window[start].Received)
            {
                start = index;
                continue;
            }

            var gap = window[index].At - window[start].At;
            if (gap > longest)
            {
                longest = gap;
            }
        }

        return longest;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }

    private async Task SampleAsync(Func<int> received, Stopwatch clock)
    {
        while (!stop.IsCancellationRequested)
        {
            samples.Enqueue((clock.Elapsed, received()));
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
