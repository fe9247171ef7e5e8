namespace BusRuntime.Core.Subscriptions;

/// <summary>One routing rule of a <see cref="DeclaredSubscription"/>: events whose CloudEvent <paramref name="Match"/> (Dapr's CEL expression) holds go to <paramref name="Path"/>.</summary>
public sealed record DeclaredRoutingRule(string Match, string Path);
