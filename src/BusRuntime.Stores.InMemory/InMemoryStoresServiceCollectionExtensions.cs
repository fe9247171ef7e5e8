using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Jobs;
using BusRuntime.Core.Journal;
using BusRuntime.Core.Locks;
using BusRuntime.Core.Sequences;
using BusRuntime.Core.State;
using BusRuntime.Core.Stores;
using BusRuntime.Stores.InMemory.AppConfiguration;
using BusRuntime.Stores.InMemory.Jobs;
using BusRuntime.Stores.InMemory.Journal;
using BusRuntime.Stores.InMemory.Locks;
using BusRuntime.Stores.InMemory.Sequences;
using BusRuntime.Stores.InMemory.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BusRuntime.Stores.InMemory;

public static class InMemoryStoresServiceCollectionExtensions
{
    /// <summary>Makes the in-memory component types (state.in-memory, lock.in-memory, sequencer.in-memory, configuration.in-memory) available.</summary>
    public static IServiceCollection AddBusRuntimeInMemoryStores(this IServiceCollection services)
    {
        services.AddSingleton<IStoreFactory<IStateStore>>(provider =>
            new StoreFactory<IStateStore>(ComponentTypes.StateInMemory, _ => new InMemoryStateStore(provider.GetRequiredService<TimeProvider>())));
        services.AddSingleton<IStoreFactory<ILockStore>>(provider =>
            new StoreFactory<ILockStore>(ComponentTypes.LockInMemory, _ => new InMemoryLockStore(provider.GetRequiredService<TimeProvider>())));
        services.AddSingleton<IStoreFactory<ISequenceStore>>(_ =>
            new StoreFactory<ISequenceStore>(ComponentTypes.SequencerInMemory, _ => new InMemorySequenceStore()));
        services.AddSingleton<IStoreFactory<IConfigurationStore>>(_ =>
            new StoreFactory<IConfigurationStore>(ComponentTypes.ConfigurationInMemory, _ => new InMemoryConfigurationStore()));
        return services;
    }

    /// <summary>Keeps the message journal in memory: the newest BusRuntime:Journal:Capacity entries.</summary>
    public static IServiceCollection AddBusRuntimeInMemoryJournal(this IServiceCollection services)
    {
        services.TryAddSingleton<IJournalStore, InMemoryJournalStore>();
        return services;
    }

    /// <summary>Keeps jobs in memory: they fire on this sidecar only and end with it.</summary>
    public static IServiceCollection AddBusRuntimeInMemoryJobs(this IServiceCollection services)
    {
        services.TryAddSingleton<IJobStore, InMemoryJobStore>();
        return services;
    }
}
