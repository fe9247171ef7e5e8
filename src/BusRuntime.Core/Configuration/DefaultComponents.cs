using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Configuration;

/// <summary>
/// Adds, for every kind of component configuration declares none of, the components Dapr's and Layotto's
/// samples expect by name ("pubsub", "statestore", "lockstore", "sequencer", "configstore", "secretstore",
/// "envsecrets", "file_demo", "quick_start_demo"): the stores on PostgreSQL when BusRuntime:Postgres is set, in memory
/// otherwise; files in a local directory either way; no output binding.
/// </summary>
public sealed class DefaultComponents(IOptions<StoreOptions> stores) : IPostConfigureOptions<ComponentsOptions>
{
    public void PostConfigure(string? name, ComponentsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var onPostgres = !string.IsNullOrWhiteSpace(stores.Value.Postgres);
        foreach (var kind in ComponentKind.All)
        {
            if (options.Components.Any(kind.Includes))
            {
                continue;
            }

            foreach (var component in kind.Defaults)
            {
                options.Components.Add(new ComponentOptions
                {
                    Name = component.Name,
                    Type = onPostgres && component.PostgresType is not null ? component.PostgresType : component.Type,
                });
            }
        }
    }
}
