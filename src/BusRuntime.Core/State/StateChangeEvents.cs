using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.State;

/// <summary>
/// Whether a state component publishes <see cref="Contracts.StateChanged"/> events (metadata
/// publishChanges, default false) and whether they carry the value (publishValues, default false: values
/// may be large or sensitive).
/// </summary>
public sealed record StateChangeEvents(bool Publish, bool IncludeValues)
{
    public const string PublishChangesKey = "publishChanges";
    public const string PublishValuesKey = "publishValues";

    public static StateChangeEvents For(ComponentOptions component) => new(
        ComponentMetadata.GetBoolean(component, PublishChangesKey, false),
        ComponentMetadata.GetBoolean(component, PublishValuesKey, false));
}
