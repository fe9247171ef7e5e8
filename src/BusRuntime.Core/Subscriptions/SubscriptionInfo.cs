namespace BusRuntime.Core.Subscriptions;

/// <summary>One active subscription of this sidecar, as operators see it.</summary>
public sealed record SubscriptionInfo(string PubsubName, string Topic, string Queue, int Handlers);
