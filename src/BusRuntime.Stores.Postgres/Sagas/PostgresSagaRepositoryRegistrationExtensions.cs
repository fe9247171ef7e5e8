using BusRuntime.Core.Configuration;
using BusRuntime.Core.Resilience;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Stores.Postgres.Sagas;

/// <summary>Keeps a saga's instances in PostgreSQL: <c>x.AddSagaStateMachine&lt;M, S&gt;().PostgresRepository(connectionString)</c>.</summary>
public static class PostgresSagaRepositoryRegistrationExtensions
{
    /// <summary>
    /// Keeps the instances of <typeparamref name="TSaga"/> in a table of their own on the PostgreSQL server of
    /// <paramref name="connectionString"/>, through the connection pool the stores of the same connection string
    /// use (one per connection string and process, BusRuntime's defaults applied), the table created by the same
    /// migrations. Also registers <see cref="PostgresSagaInstances{TSaga}"/> and MassTransit's
    /// <see cref="ILoadSagaRepository{TSaga}"/> for reading instances by id. Configure the saga's endpoint with
    /// UseSagaConcurrencyRetryAndOutbox (BusRuntime.Sagas).
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection string or an option is invalid (the message names it, never the password).</exception>
    public static ISagaRegistrationConfigurator<TSaga> PostgresRepository<TSaga>(
        this ISagaRegistrationConfigurator<TSaga> configurator, string connectionString, Action<PostgresSagaRepositoryOptions<TSaga>>? configure = null)
        where TSaga : class, ISagaVersion
    {
        ArgumentNullException.ThrowIfNull(configurator);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"The saga repository of {typeof(TSaga).Name} needs a PostgreSQL connection string (Host=…;Username=…;Password=…).");
        }

        var options = new PostgresSagaRepositoryOptions<TSaga>();
        configure?.Invoke(options);
        options.Validate();
        return Register(configurator, options, PostgresSettings.Create(
            connectionString,
            options.Schema,
            $"The connection string of the saga repository of {typeof(TSaga).Name}",
            $"The saga repository of {typeof(TSaga).Name}: Schema"));
    }

    /// <summary>
    /// Keeps the instances of <typeparamref name="TSaga"/> in the sidecar's default database, as the journal:
    /// BusRuntime:Postgres and BusRuntime:PostgresSchema of <paramref name="stores"/>, which bad values are named after.
    /// </summary>
    /// <exception cref="InvalidOperationException">BusRuntime:Postgres is missing or invalid, or an option is (the message names it).</exception>
    public static ISagaRegistrationConfigurator<TSaga> PostgresRepository<TSaga>(this ISagaRegistrationConfigurator<TSaga> configurator, StoreOptions stores)
        where TSaga : class, ISagaVersion
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentNullException.ThrowIfNull(stores);
        var settings = PostgresSettings.For(new ComponentOptions { Name = "workflows", Type = "saga.postgresql" }, stores);
        var options = new PostgresSagaRepositoryOptions<TSaga> { Schema = settings.Schema };
        options.Validate();
        return Register(configurator, options, settings);
    }

    private static ISagaRegistrationConfigurator<TSaga> Register<TSaga>(
        ISagaRegistrationConfigurator<TSaga> configurator, PostgresSagaRepositoryOptions<TSaga> options, PostgresSettings settings)
        where TSaga : class, ISagaVersion
    {
        configurator.Repository(repository =>
        {
            repository.AddLogging();
            repository.TryAddSingleton(TimeProvider.System);
            repository.AddBusRuntimeResiliencePipeline(ResiliencePipelines.Postgres, PostgresDatabase.ConfigureRetry);
            repository.TryAddSingleton<PostgresDatabases>();
            repository.TryAddSingleton(provider => new PostgresSagaTable<TSaga>(
                provider.GetRequiredService<PostgresDatabases>().Get(settings),
                options,
                provider.GetRequiredService<ILoggerFactory>().CreateLogger<PostgresSagaTable<TSaga>>()));
            repository.TryAddSingleton(provider => new PostgresSagaInstances<TSaga>(provider.GetRequiredService<PostgresSagaTable<TSaga>>()));
            repository.RegisterLoadSagaRepository<TSaga, PostgresSagaRepositoryContextFactory<TSaga>>();
            repository.RegisterSagaRepository<TSaga, PostgresSagaSession<TSaga>, SagaConsumeContextFactory<PostgresSagaSession<TSaga>, TSaga>,
                PostgresSagaRepositoryContextFactory<TSaga>>();
        });
        return configurator;
    }
}
