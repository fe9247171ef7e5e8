namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// One routing rule of a subscription, as Dapr declares it: events for which <see cref="Match"/> (a CEL expression over
/// <c>event</c>, the CloudEvent) is true go to <see cref="Path"/>. An empty match is true for every event.
/// </summary>
public sealed record TopicRoutingRule(string Match, string Path);
