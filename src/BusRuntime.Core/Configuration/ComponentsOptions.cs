namespace BusRuntime.Core.Configuration;

/// <summary>The components declared in configuration (section "BusRuntime", key "Components").</summary>
public sealed class ComponentsOptions
{
    public List<ComponentOptions> Components { get; set; } = [];
}
