namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// One routing rule of a subscription, as Dapr declares it: events for which <see cref="Match"/> (a CEL expression over
/// <c>event</c>, the CloudEvent) is true go to <see cref="Path"/>.
/// </summary>
public sealed record TopicRoutingRule(string Match, string Path);
