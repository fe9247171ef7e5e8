using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.PubSub;

/// <summary>The pub/sub components apps may name; "pubsub" alone when configuration declares none.</summary>
public sealed class PubSubComponents
{
    private readonly HashSet<string> names;

    public PubSubComponents(IOptions<ComponentsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var declared = options.Value.Components
            .Where(component => component.Type == ComponentTypes.PubSubBus)
            .Select(component => component.Name)
            .ToList();
        names = new HashSet<string>(declared.Count > 0 ? declared : [PubSubOptions.DefaultComponentName], StringComparer.Ordinal);
        Names = [.. names.Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<string> Names { get; }

    /// <summary>Throws INVALID_ARGUMENT for an empty name and NOT_FOUND, listing the configured names, for an unknown one.</summary>
    public void EnsureExists(string pubsubName)
    {
        if (string.IsNullOrEmpty(pubsubName))
        {
            throw RuntimeException.InvalidArgument("pubsub_name is empty; name a pub/sub component: " + string.Join(", ", Names) + ".");
        }

        if (!names.Contains(pubsubName))
        {
            throw RuntimeException.NotFound($"pubsub_name '{pubsubName}' is not a configured pub/sub component; configured: {string.Join(", ", Names)}.");
        }
    }
}
