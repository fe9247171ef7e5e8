using System.Text.RegularExpressions;
using BusRuntime.Core.Configuration;
using BusRuntime.Sagas.Persistence;
using BusRuntime.Sagas.Workflows;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace BusRuntime.Sagas;

public static partial class WorkflowSagaRegistration
{
    /// <summary>
    /// Registers the workflow saga with the bus when its instances live in PostgreSQL (BusRuntime:Postgres set):
    /// the project's Npgsql saga repository, in BusRuntime:PostgresSchema. With no connection string nothing is
    /// registered here and <see cref="SagasServiceCollectionExtensions.AddBusRuntimeWorkflows"/> keeps them in memory.
    /// </summary>
    public static void AddBusRuntimeWorkflowSaga(this IBusRegistrationConfigurator bus, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!UsesPostgres(configuration))
        {
            return;
        }

        // Checked here, as the stores check them, so that a bad value stops start-up naming the sidecar's key
        // rather than the repository's own wording.
        var connectionString = configuration[PostgresKey]!;
        try
        {
            // The repository has a pool of its own beside the stores'; Npgsql's default of 100 connections per
            // pool would let two sidecars exhaust a default server (max_connections 100) under load.
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (!builder.Keys.Any(key => string.Equals(key, "Maximum Pool Size", StringComparison.OrdinalIgnoreCase)))
            {
                builder.MaxPoolSize = MaxPoolSize;
                connectionString = builder.ConnectionString;
            }
        }
        catch (ArgumentException exception)
        {
            throw new InvalidOperationException(
                $"{PostgresKey} is not a valid PostgreSQL connection string (Npgsql syntax, e.g. Host=db;Username=app;Password=…): {exception.Message}", exception);
        }

        var schema = configuration[PostgresSchemaKey];
        if (!string.IsNullOrEmpty(schema) && !SchemaRegex().IsMatch(schema))
        {
            throw new InvalidOperationException($"{PostgresSchemaKey} '{schema}' must match {Names.SchemaPattern} (lower-case letters, digits and '_').");
        }

        bus.AddSagaStateMachine<WorkflowStateMachine, WorkflowState>()
            .PostgresRepository(connectionString, options => options.Schema = string.IsNullOrEmpty(schema) ? options.Schema : schema);
    }

    internal const string PostgresKey = "BusRuntime:Postgres";

    /// <summary>The saga repository's pool size unless the connection string sets one.</summary>
    internal const int MaxPoolSize = 10;
    internal const string PostgresSchemaKey = "BusRuntime:PostgresSchema";

    internal static bool UsesPostgres(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[PostgresKey]);

    [GeneratedRegex(Names.SchemaPattern)]
    private static partial Regex SchemaRegex();
}
