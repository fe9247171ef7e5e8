using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.PubSub;

/// <summary>The pub/sub components apps may name; "pubsub" alone when configuration declares none (<see cref="DefaultComponents"/>).</summary>
public sealed class PubSubComponents
{
    private readonly HashSet<string> names;

    public PubSubComponents(IOptions<ComponentsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        names = new HashSet<string>(options.Value.Components.Where(ComponentKind.PubSub.Includes).Select(component => component.Name), StringComparer.Ordinal);
        Names = [.. names.Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<string> Names { get; }

    /// <summary>Throws INVALID_ARGUMENT for an empty name and ComponentNotFound, listing the configured names, for an unknown one.</summary>
    public void EnsureExists(string pubsubName)
    {
        if (string.IsNullOrEmpty(pubsubName))
        {
            throw RuntimeException.InvalidArgument("pubsub_name is empty; name a pub/sub component: " + string.Join(", ", Names) + ".");
        }

        if (!names.Contains(pubsubName))
        {
            throw RuntimeException.ComponentNotFound($"pubsub_name {Quoted.Of(pubsubName)} is not a configured pub/sub component; configured: {string.Join(", ", Names)}.");
        }
    }
}
