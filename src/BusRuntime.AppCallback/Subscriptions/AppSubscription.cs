using BusRuntime.Core.Subscriptions;

namespace BusRuntime.AppCallback.Subscriptions;

/// <summary>One subscription of the app, ready to add: what it asks for, the handler that delivers its events, and where it comes from, for messages.</summary>
public sealed record AppSubscription(SubscriptionSpec Spec, ITopicEventHandler Handler, string Origin)
{
    /// <summary>The <see cref="Origin"/> of a subscription the app lists itself.</summary>
    public const string FromApp = "listed by the app";

    /// <summary>The resource files' subscription this one comes from; null for one the app lists itself.</summary>
    public DeclaredSubscription? Declared { get; init; }
}
