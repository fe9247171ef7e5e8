using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Jobs;
using BusRuntime.Core.Journal;
using BusRuntime.Core.Locks;
using BusRuntime.Core.Sequences;
using BusRuntime.Core.State;
using BusRuntime.Core.Stores;
using BusRuntime.Stores.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Stores.Tests;

/// <summary>
/// The PostgreSQL stores as one sidecar has them: its own DI container, hence its own connection pool,
/// configured with BusRuntime:Postgres and BusRuntime:PostgresSchema. Disposing it closes the pool.
/// </summary>
public sealed class PostgresSidecar : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    /// <param name="connectionString">BusRuntime:Postgres.</param>
    /// <param name="schema">BusRuntime:PostgresSchema.</param>
    /// <param name="autoCreate">BusRuntime:PostgresAutoCreate: CreateOrUpdate, or None for a schema applied ahead of deploy.</param>
    public PostgresSidecar(string? connectionString, string schema, string autoCreate = "CreateOrUpdate")
    {
        Schema = schema;
        provider = new ServiceCollection()
            .AddBusRuntimePostgresStores()
            .AddBusRuntimePostgresJournal()
            .AddBusRuntimePostgresJobs()
            .Configure<StoreOptions>(options =>
            {
                options.Postgres = connectionString;
                options.PostgresSchema = schema;
                options.PostgresAutoCreate = autoCreate;
            })
            .BuildServiceProvider();
    }

    public string Schema { get; }

    public IStateStore State(string name = "statestore") => Create<IStateStore>(ComponentTypes.StatePostgres, name);

    public ILockStore Lock(string name = "lockstore") => Create<ILockStore>(ComponentTypes.LockPostgres, name);

    public ISequenceStore Sequencer(string name = "sequencer") => Create<ISequenceStore>(ComponentTypes.SequencerPostgres, name);

    public IConfigurationStore Configuration(string name = "configstore") => Create<IConfigurationStore>(ComponentTypes.ConfigurationPostgres, name);

    public IJournalStore Journal() => provider.GetRequiredService<IJournalStore>();

    public IJobStore Jobs() => provider.GetRequiredService<IJobStore>();

    /// <summary>The store the sidecar's factory of <paramref name="type"/> makes for a component with this name and metadata.</summary>
    public TStore Create<TStore>(string type, string name, Dictionary<string, string>? metadata = null)
        where TStore : class =>
        provider.GetServices<IStoreFactory<TStore>>()
            .Single(factory => factory.Type == type)
            .Create(new ComponentOptions { Name = name, Type = type, Metadata = metadata ?? [] });

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}
