using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Files;
using BusRuntime.Core.Jobs;
using BusRuntime.Core.Journal;
using BusRuntime.Core.Locks;
using BusRuntime.Core.Resilience;
using BusRuntime.Core.Sequences;
using BusRuntime.Core.State;
using BusRuntime.Core.Stores;
using BusRuntime.Stores.Postgres.AppConfiguration;
using BusRuntime.Stores.Postgres.Bindings;
using BusRuntime.Stores.Postgres.Files;
using BusRuntime.Stores.Postgres.Jobs;
using BusRuntime.Stores.Postgres.Journal;
using BusRuntime.Stores.Postgres.Locks;
using BusRuntime.Stores.Postgres.Sequences;
using BusRuntime.Stores.Postgres.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BusRuntime.Stores.Postgres;

public static class PostgresStoresServiceCollectionExtensions
{
    /// <summary>
    /// Makes the PostgreSQL component types (state.postgresql, lock.postgresql, sequencer.postgresql,
    /// configuration.postgresql, file.postgresql, and the output binding bindings.postgresql, on a connection pool of its own) available. A component connects with its metadata connectionString, else BusRuntime:Postgres, and
    /// keeps its rows in its metadata schema, else BusRuntime:PostgresSchema; components on one connection
    /// string share one connection pool.
    /// </summary>
    public static IServiceCollection AddBusRuntimePostgresStores(this IServiceCollection services)
    {
        services.AddOptions();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PostgresDatabases>();
        services.AddBusRuntimeResiliencePipeline(ResiliencePipelines.Postgres, PostgresDatabase.ConfigureRetry);
        services.AddSingleton<IStoreFactory<IStateStore>>(provider =>
            new StoreFactory<IStateStore>(ComponentTypes.StatePostgres, component => MartenState(provider, component)));
        services.AddSingleton<IStoreFactory<ILockStore>>(provider =>
            new StoreFactory<ILockStore>(ComponentTypes.LockPostgres, component => new PostgresLockStore(Database(provider, component), component.Name)));
        services.AddSingleton<IStoreFactory<ISequenceStore>>(provider =>
            new StoreFactory<ISequenceStore>(ComponentTypes.SequencerPostgres, component => new PostgresSequenceStore(Database(provider, component), component.Name)));
        services.AddSingleton<IStoreFactory<IConfigurationStore>>(provider =>
            new StoreFactory<IConfigurationStore>(ComponentTypes.ConfigurationPostgres, component => new PostgresConfigurationStore(Database(provider, component), component.Name)));
        services.AddSingleton<IStoreFactory<IFileStore>>(provider =>
            new StoreFactory<IFileStore>(
                ComponentTypes.FilePostgres,
                component => new PostgresFileStore(
                    Database(provider, component),
                    component.Name,
                    ComponentMetadata.GetInt32(component, FileStoreMetadata.ChunkBytes, PostgresFileStore.DefaultChunkBytes, 4096, 64 * 1024 * 1024))));
        services.AddSingleton<IStoreFactory<IOutputBinding>>(provider =>
            new StoreFactory<IOutputBinding>(ComponentTypes.BindingsPostgres, component =>
            {
                var settings = PostgresBindingSettings.For(
                    component,
                    provider.GetRequiredService<IOptions<StoreOptions>>().Value.Postgres is { Length: > 0 } postgres ? postgres : null,
                    provider.GetRequiredService<IOptions<RuntimeOptions>>().Value.MaxPayloadBytes);
                return new PostgresOutputBinding(component.Name, NpgsqlDataSource.Create(settings.ConnectionString), settings, provider.GetRequiredService<TimeProvider>());
            }));
        return services;
    }

    /// <summary>
    /// Keeps the message journal in the table journal of BusRuntime:PostgresSchema on BusRuntime:Postgres,
    /// which must be set.
    /// </summary>
    public static IServiceCollection AddBusRuntimePostgresJournal(this IServiceCollection services)
    {
        AddDatabases(services);
        services.TryAddSingleton<IJournalStore>(provider => new PostgresJournalStore(Database(provider, JournalComponent)));
        return services;
    }

    /// <summary>
    /// Keeps jobs in the table jobs of BusRuntime:PostgresSchema on BusRuntime:Postgres, which must be set: every sidecar
    /// of an app on that database shares its jobs, and each tick goes to one of them.
    /// </summary>
    public static IServiceCollection AddBusRuntimePostgresJobs(this IServiceCollection services)
    {
        AddDatabases(services);
        services.TryAddSingleton<IJobStore>(provider => new PostgresJobStore(Database(provider, JobsComponent)));
        return services;
    }

    // What the journal and jobs need besides their store: the data sources and their retry.
    private static void AddDatabases(IServiceCollection services)
    {
        services.AddOptions();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PostgresDatabases>();
        services.AddBusRuntimeResiliencePipeline(ResiliencePipelines.Postgres, PostgresDatabase.ConfigureRetry);
    }

    // Jobs read their connection as the journal does.
    private static readonly ComponentOptions JobsComponent = new() { Name = "jobs", Type = "jobs.postgresql" };

    // The journal reads its connection like a component with no metadata: BusRuntime:Postgres and BusRuntime:PostgresSchema.
    private static readonly ComponentOptions JournalComponent = new() { Name = "journal", Type = "journal.postgresql" };

    private static MartenStateStore MartenState(IServiceProvider provider, ComponentOptions component)
    {
        var settings = Settings(provider, component);
        var database = provider.GetRequiredService<PostgresDatabases>().Get(settings);
        return new MartenStateStore(database, database.StateDocuments, settings.AutoCreate, component.Name);
    }

    private static PostgresSettings Settings(IServiceProvider provider, ComponentOptions component) =>
        PostgresSettings.For(component, provider.GetRequiredService<IOptions<StoreOptions>>().Value);

    private static PostgresDatabase Database(IServiceProvider provider, ComponentOptions component) =>
        provider.GetRequiredService<PostgresDatabases>().Get(PostgresSettings.For(component, provider.GetRequiredService<IOptions<StoreOptions>>().Value));
}
