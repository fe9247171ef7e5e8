namespace BusRuntime.Core.Configuration;

/// <summary>
/// One named component from configuration (<c>BusRuntime:Components:N</c>): apps refer to it by
/// <see cref="Name"/> (<c>pubsub_name</c>, <c>store_name</c>).
/// </summary>
public sealed class ComponentOptions
{
    public string Name { get; set; } = "";

    /// <summary>The kind of component, e.g. "pubsub.bus".</summary>
    public string Type { get; set; } = "";

    /// <summary>Settings of the component's type; keys match in any case, as configuration keys do.</summary>
    public Dictionary<string, string> Metadata { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
