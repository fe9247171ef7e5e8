namespace BusRuntime.Core.Subscriptions;

/// <summary>The subscriptions the resource files declare (<c>--resources-path</c>); none without such files.</summary>
public sealed class DeclaredSubscriptions(IReadOnlyList<DeclaredSubscription> subscriptions)
{
    public DeclaredSubscriptions()
        : this([])
    {
    }

    public IReadOnlyList<DeclaredSubscription> All { get; } = subscriptions ?? throw new ArgumentNullException(nameof(subscriptions));
}
