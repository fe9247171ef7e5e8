using System.Collections.Concurrent;

namespace BusRuntime.Stores.Tests.Sagas;

/// <summary>Watches the counter state machine from the test: how often an increment ran, and a hook that runs before its save.</summary>
public sealed class CounterProbe
{
    private int incrementsRun;

    public int IncrementsRun => incrementsRun;

    /// <summary>Whether Start inserts the instance before the state machine runs (MassTransit's InsertOnInitial) rather than after.</summary>
    public bool InsertOnInitial { get; init; }

    /// <summary>Runs inside the increment's attempt (argument: the retry attempt, 0 for the first), before the repository saves.</summary>
    public Func<CounterSaga, int, Task>? BeforeSave { get; set; }

    public ConcurrentQueue<int> Attempts { get; } = new();

    public async Task OnIncrementAsync(CounterSaga saga, int attempt)
    {
        Interlocked.Increment(ref incrementsRun);
        Attempts.Enqueue(attempt);
        if (BeforeSave is { } hook)
        {
            await hook(saga, attempt);
        }
    }
}
