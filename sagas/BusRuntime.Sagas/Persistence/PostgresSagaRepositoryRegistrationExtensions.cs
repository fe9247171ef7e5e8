using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace BusRuntime.Sagas.Persistence;

/// <summary>Keeps a saga's instances in PostgreSQL: <c>x.AddSagaStateMachine&lt;M, S&gt;().PostgresRepository(connectionString)</c>.</summary>
public static class PostgresSagaRepositoryRegistrationExtensions
{
    /// <summary>Connecting to an unreachable server fails after this long unless the connection string says otherwise (Npgsql waits 15 s).</summary>
    public const int DefaultConnectTimeoutSeconds = 5;

    /// <summary>
    /// Keeps the instances of <typeparamref name="TSaga"/> in a table of their own on the PostgreSQL server of
    /// <paramref name="connectionString"/>, through a connection pool of the repository's own, disposed with
    /// the container. Also registers <see cref="PostgresSagaInstances{TSaga}"/> and MassTransit's
    /// <see cref="ILoadSagaRepository{TSaga}"/> for reading instances by id. Configure the saga's endpoint with
    /// <see cref="SagaEndpointConfiguratorExtensions.UseSagaConcurrencyRetryAndOutbox"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection string or an option is invalid (the message names it).</exception>
    public static ISagaRegistrationConfigurator<TSaga> PostgresRepository<TSaga>(
        this ISagaRegistrationConfigurator<TSaga> configurator, string connectionString, Action<PostgresSagaRepositoryOptions<TSaga>>? configure = null)
        where TSaga : class, ISagaVersion
    {
        var builder = ParseConnectionString<TSaga>(connectionString);
        return Register(configurator, _ => (NpgsqlDataSource.Create(builder.ConnectionString), true), configure);
    }

    /// <summary>
    /// Keeps the instances of <typeparamref name="TSaga"/> in a table of their own, through the connection pool
    /// <paramref name="dataSource"/> returns (resolved once; the repository does not dispose it).
    /// </summary>
    /// <exception cref="InvalidOperationException">An option is invalid (the message names it).</exception>
    public static ISagaRegistrationConfigurator<TSaga> PostgresRepository<TSaga>(
        this ISagaRegistrationConfigurator<TSaga> configurator, Func<IServiceProvider, NpgsqlDataSource> dataSource, Action<PostgresSagaRepositoryOptions<TSaga>>? configure = null)
        where TSaga : class, ISagaVersion
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return Register(configurator, provider => (dataSource(provider), false), configure);
    }

    private static ISagaRegistrationConfigurator<TSaga> Register<TSaga>(
        ISagaRegistrationConfigurator<TSaga> configurator,
        Func<IServiceProvider, (NpgsqlDataSource DataSource, bool Owned)> dataSource,
        Action<PostgresSagaRepositoryOptions<TSaga>>? configure)
        where TSaga : class, ISagaVersion
    {
        ArgumentNullException.ThrowIfNull(configurator);
        var options = new PostgresSagaRepositoryOptions<TSaga>();
        configure?.Invoke(options);
        options.Validate();

        configurator.Repository(repository =>
        {
            repository.TryAddSingleton(provider =>
            {
                var (source, owned) = dataSource(provider);
                var logger = provider.GetService<ILoggerFactory>()?.CreateLogger<PostgresSagaTable<TSaga>>() ?? (ILogger)NullLogger.Instance;
                return new PostgresSagaTable<TSaga>(source, owned, options, logger);
            });
            repository.TryAddSingleton(provider => new PostgresSagaInstances<TSaga>(provider.GetRequiredService<PostgresSagaTable<TSaga>>()));
            repository.RegisterLoadSagaRepository<TSaga, PostgresSagaRepositoryContextFactory<TSaga>>();
            repository.RegisterSagaRepository<TSaga, PostgresSagaSession<TSaga>, SagaConsumeContextFactory<PostgresSagaSession<TSaga>, TSaga>,
                PostgresSagaRepositoryContextFactory<TSaga>>();
        });
        return configurator;
    }

    private static NpgsqlConnectionStringBuilder ParseConnectionString<TSaga>(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"The saga repository of {typeof(TSaga).Name} needs a PostgreSQL connection string (Host=…;Username=…;Password=…).");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            // Npgsql's message names the keyword or a position, never the password.
            throw new InvalidOperationException(
                $"The connection string of the saga repository of {typeof(TSaga).Name} is not a valid PostgreSQL connection string: {exception.Message}", exception);
        }

        var set = new HashSet<string>(builder.Keys, StringComparer.OrdinalIgnoreCase);
        if (!set.Contains("Timeout"))
        {
            builder.Timeout = DefaultConnectTimeoutSeconds;
        }

        if (!set.Contains("Application Name"))
        {
            builder.ApplicationName = "BusRuntime sagas";
        }

        return builder;
    }
}
