using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Stores;

/// <summary>
/// How a component turns the keys an app names into the keys it stores: "{prefix}||{key}", where the
/// prefix is the app id (the default, so apps sharing a store do not see each other's keys), the
/// component's name, a fixed string, or nothing (metadata keyPrefix: appid, name, none, or any other text).
/// </summary>
public sealed class KeyScope
{
    public const string MetadataKey = "keyPrefix";
    public const string Separator = "||";

    private readonly string? prefix;

    private KeyScope(string? prefix) => this.prefix = prefix;

    /// <summary>
    /// The scope a component's metadata asks for (appid, name and none in any case); throws naming the key
    /// when a fixed prefix is not text a store can keep or contains "||".
    /// </summary>
    public static KeyScope For(ComponentOptions component, string appId)
    {
        ArgumentNullException.ThrowIfNull(component);
        var setting = ComponentMetadata.GetString(component, MetadataKey) ?? "appid";
        var prefix = setting.ToUpperInvariant() switch
        {
            "APPID" => appId,
            "NAME" => component.Name,
            "NONE" => null,
            _ => setting,
        };
        if (prefix == setting)
        {
            try
            {
                EnsureValid(prefix, ComponentMetadata.KeyOf(component, MetadataKey));
            }
            catch (RuntimeException invalid)
            {
                throw new InvalidOperationException(invalid.Message, invalid);
            }
        }

        return new KeyScope(prefix);
    }

    /// <summary>The stored key of an app's key, after checking it: INVALID_ARGUMENT names <paramref name="field"/>.</summary>
    public string ToStorageKey(string key, string field)
    {
        EnsureValid(key, field);
        return prefix is null ? key : string.Concat(prefix, Separator, key);
    }

    /// <summary>The text before <see cref="Separator"/> in the component's storage keys; null when keys are stored as apps name them.</summary>
    public string? Prefix => prefix;

    /// <summary>
    /// Whether <paramref name="storageKey"/> is one of this scope's: it starts with the prefix and the separator, or,
    /// with no prefix, has no separator (a key another app's scope stored).
    /// </summary>
    public bool Owns(string storageKey)
    {
        ArgumentNullException.ThrowIfNull(storageKey);
        return prefix is null
            ? !storageKey.Contains(Separator, StringComparison.Ordinal)
            : storageKey.Length > prefix.Length + Separator.Length
                && storageKey.StartsWith(prefix, StringComparison.Ordinal)
                && storageKey.AsSpan(prefix.Length).StartsWith(Separator, StringComparison.Ordinal);
    }

    /// <summary>The key the app named for <paramref name="storageKey"/>, one this scope <see cref="Owns"/>.</summary>
    public string ToAppKey(string storageKey)
    {
        ArgumentNullException.ThrowIfNull(storageKey);
        return prefix is null ? storageKey : storageKey[(prefix.Length + Separator.Length)..];
    }

    public static void EnsureValid(string key, string field)
    {
        StorableText.EnsureValid(key, field, "name the key");
        if (key.Contains(Separator, StringComparison.Ordinal))
        {
            throw RuntimeException.InvalidArgument($"{field} {Quoted.Of(key)} contains '{Separator}', which separates a key from its scope; choose another key.");
        }
    }
}
