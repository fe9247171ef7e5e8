namespace BusRuntime.Core.AppConfiguration;

/// <summary>What one SubscribeConfiguration stream follows: some keys (all when empty) of one app, group and label of a store.</summary>
public sealed record ConfigurationSubscription(string StoreName, string AppId, string Group, string Label, IReadOnlyList<string> Keys);
