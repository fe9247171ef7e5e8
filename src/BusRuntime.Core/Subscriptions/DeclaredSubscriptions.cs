namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// The subscriptions the resource files declare (<c>--resources-path</c>); none without such files. Hot reload puts
/// the files' new list in place (<see cref="Replace"/>), and the app's channel, waiting on <see cref="Current"/>'s
/// <c>Changed</c>, subscribes and unsubscribes to match.
/// </summary>
public sealed class DeclaredSubscriptions
{
    private readonly Lock writing = new();
    private volatile Snapshot current;

    public DeclaredSubscriptions()
        : this([])
    {
    }

    public DeclaredSubscriptions(IReadOnlyList<DeclaredSubscription> subscriptions)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        current = new Snapshot(subscriptions);
    }

    public IReadOnlyList<DeclaredSubscription> All => current.All;

    /// <summary>The subscriptions now, and a task that completes when they are replaced.</summary>
    public (IReadOnlyList<DeclaredSubscription> All, Task Changed) Current
    {
        get
        {
            var snapshot = current;
            return (snapshot.All, snapshot.Replaced.Task);
        }
    }

    /// <summary>Puts <paramref name="subscriptions"/> in place of the declared ones and wakes who waits on the change.</summary>
    public void Replace(IReadOnlyList<DeclaredSubscription> subscriptions)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        Snapshot previous;
        lock (writing)
        {
            previous = current;
            current = new Snapshot(subscriptions);
        }

        previous.Replaced.TrySetResult();
    }

    private sealed class Snapshot(IReadOnlyList<DeclaredSubscription> all)
    {
        public IReadOnlyList<DeclaredSubscription> All { get; } = all;

        public TaskCompletionSource Replaced { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
