namespace BusRuntime.Core.AppConfiguration;

/// <summary>One configuration item as an app saves it; an empty group or label means "default".</summary>
public sealed record ConfigurationItem(
    string Key,
    string Content,
    string Group,
    string Label,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, string> Metadata);
