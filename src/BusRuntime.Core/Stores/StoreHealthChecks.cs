using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Locks;
using BusRuntime.Core.Sequences;
using BusRuntime.Core.State;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Stores;

/// <summary>Registers one readiness check per store component, named after it ("statestore", "lockstore", "configstore", …).</summary>
public sealed class StoreHealthChecks(
    NamedStores<IStateStore> stateStores,
    NamedStores<ILockStore> lockStores,
    NamedStores<ISequenceStore> sequenceStores,
    NamedStores<IConfigurationStore> configurationStores) : IConfigureOptions<HealthCheckServiceOptions>
{
    /// <summary>The tag readiness selects its checks by (MassTransit tags the bus's check the same way).</summary>
    public const string ReadinessTag = "ready";

    public void Configure(HealthCheckServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Add(options, stateStores);
        Add(options, lockStores);
        Add(options, sequenceStores);
        Add(options, configurationStores);
    }

    private static void Add<TStore>(HealthCheckServiceOptions options, NamedStores<TStore> stores)
        where TStore : class, IHealthReportingStore
    {
        foreach (var store in stores.All)
        {
            options.Registrations.Add(new HealthCheckRegistration(
                store.Name,
                // The component in place now: a resource file may have replaced it since start-up.
                _ => new StoreHealthCheck((stores.TryGet(store.Name) ?? store).Store, stores.Kind.Noun),
                HealthStatus.Unhealthy,
                [ReadinessTag]));
        }
    }
}
