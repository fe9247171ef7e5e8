namespace BusRuntime.Core.Subscriptions;

/// <summary>One active subscription of this sidecar, as operators see it.</summary>
public sealed record SubscriptionInfo(string PubsubName, string Topic, string Queue, int Handlers)
{
    /// <summary>Each of its subscribers (the app's own, a declared one, each streaming subscription) with its own rules and dead-letter topic.</summary>
    public IReadOnlyList<SubscriberInfo> Subscribers { get; init; } = [];
}
