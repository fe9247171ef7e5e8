namespace BusRuntime.LoadDriver.Sidecar;

/// <summary>Samples a process's RSS at a fixed interval in the background and keeps the peak.</summary>
public sealed class RssSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly int processId;
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;
    private long peakBytes;

    public RssSampler(int processId)
    {
        this.processId = processId;
        Sample();
        sampling = SampleUntilStoppedAsync();
    }

    public long PeakBytes => Interlocked.Read(ref peakBytes);

    public int Samples { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }

    private async Task SampleUntilStoppedAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped by DisposeAsync: the samples taken so far are the result.
        }
    }

    private void Sample()
    {
        if (ProcessMemory.ResidentBytes(processId) is { } bytes)
        {
            Samples++;
            if (bytes > Interlocked.Read(ref peakBytes))
            {
                Interlocked.Exchange(ref peakBytes, bytes);
            }
        }
    }
}
