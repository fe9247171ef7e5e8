namespace BusRuntime.Core.AppConfiguration;

/// <summary>An item as a store keeps it, with its version; <see cref="Content"/> is null for a deleted item (a tombstone).</summary>
public sealed record StoredConfigurationItem(
    string Group,
    string Label,
    string Key,
    string? Content,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, string> Metadata,
    long Version)
{
    public bool IsDeleted => Content is null;
}
