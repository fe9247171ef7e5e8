using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Configuration;

/// <summary>
/// Adds, for every kind of component configuration declares none of, the component Dapr's samples expect
/// by name ("pubsub", "statestore", "lockstore", "sequencer"): on PostgreSQL when BusRuntime:Postgres is
/// set, in memory otherwise.
/// </summary>
public sealed class DefaultComponents(IOptions<StoreOptions> stores) : IPostConfigureOptions<ComponentsOptions>
{
    public void PostConfigure(string? name, ComponentsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var onPostgres = !string.IsNullOrWhiteSpace(stores.Value.Postgres);
        foreach (var kind in ComponentKind.All)
        {
            if (!options.Components.Any(kind.Includes))
            {
                options.Components.Add(new ComponentOptions
                {
                    Name = kind.DefaultName,
                    Type = onPostgres && kind.PostgresType is not null ? kind.PostgresType : kind.InMemoryType,
                });
            }
        }
    }
}
