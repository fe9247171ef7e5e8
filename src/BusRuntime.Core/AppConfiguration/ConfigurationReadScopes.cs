using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.AppConfiguration;

/// <summary>
/// Whose configuration items an app may read from one configuration store besides its own: the store's metadata
/// <see cref="MetadataKey"/>, entries <c>reader=app,app</c> or <c>reader=*</c> separated by ';' (the form of Dapr's
/// pub/sub scopes, <see cref="PubSub.TopicScopes"/>), so that one component file can serve every sidecar of a
/// deployment. Only the entries of the sidecar's own app count for it (an app listed twice gets both grants); an app
/// that has none reads its own items only. Writing is always its own only.
/// </summary>
public sealed class ConfigurationReadScopes
{
    /// <summary>The metadata key of a configuration component that grants reads.</summary>
    public const string MetadataKey = "readScopes";

    /// <summary>Grants every app's items.</summary>
    public const string Everyone = "*";

    private const string Form = "entries like 'billing=shop,orders' or 'audit=*', separated by ';'";

    private readonly HashSet<string> apps;
    private readonly bool everyone;

    private ConfigurationReadScopes(HashSet<string> apps, bool everyone)
    {
        this.apps = apps;
        this.everyone = everyone;
    }

    /// <summary>
    /// What <paramref name="appId"/> may read from <paramref name="component"/>; throws <see cref="InvalidOperationException"/>
    /// naming the key when the metadata is malformed, whichever app its faults concern.
    /// </summary>
    public static ConfigurationReadScopes For(ComponentOptions component, string appId)
    {
        ArgumentNullException.ThrowIfNull(component);
        var text = ComponentMetadata.GetString(component, MetadataKey);
        var grants = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var entry in (text ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split('=', StringSplitOptions.TrimEntries);
            if (parts.Length != 2)
            {
                throw Malformed(component, text!, $"'{entry}' is not one reader=apps pair");
            }

            var (reader, targets) = (parts[0], parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            if (!Names.IsValidAppId(reader))
            {
                throw Malformed(component, text!, $"'{reader}' is not an app id ({Names.AppIdPattern})");
            }

            if (targets.Length == 0)
            {
                throw Malformed(component, text!, $"'{entry}' names no app that {reader} may read");
            }

            if (targets.FirstOrDefault(target => target != Everyone && !Names.IsValidAppId(target)) is { } bad)
            {
                throw Malformed(component, text!, $"'{bad}' is neither an app id ({Names.AppIdPattern}) nor {Everyone}");
            }

            // As in Dapr's scopes, an app listed twice gets what both entries grant.
            if (!grants.TryGetValue(reader, out var granted))
            {
                grants[reader] = granted = new HashSet<string>(StringComparer.Ordinal);
            }

            granted.UnionWith(targets);
        }

        var readable = grants.TryGetValue(appId, out var own) ? own : [];
        return new ConfigurationReadScopes(readable, readable.Contains(Everyone));
    }

    /// <summary>Whether the app may read <paramref name="appId"/>'s items (its own are not asked about).</summary>
    public bool Allows(string appId) => everyone || apps.Contains(appId);

    private static InvalidOperationException Malformed(ComponentOptions component, string text, string why) =>
        new($"{ComponentMetadata.KeyOf(component, MetadataKey)} '{text}' must be {Form}: {why}.");
}
