using System.CommandLine;
using BusRuntime.Core.Configuration;
using BusRuntime.Sagas.Workflows;
using BusRuntime.Stores.Postgres.Migrations;
using BusRuntime.Stores.Postgres.Sagas;
using Npgsql;

namespace BusRuntime.Sidecar.Commands;

/// <summary>
/// <c>busruntime db migrate</c>: applies the PostgreSQL schema a sidecar needs ahead of deploy, for sidecars that
/// run with <c>BusRuntime:PostgresAutoCreate=None</c> and so create nothing themselves. Exit code 0 when the
/// schema is in place, 1 when PostgreSQL failed, 2 when the configuration is wrong.
/// </summary>
public static class DbCommand
{
    private const string PostgresKey = $"{RuntimeOptions.SectionName}:Postgres";
    private const string SchemaKey = $"{RuntimeOptions.SectionName}:PostgresSchema";

    public static Command Create()
    {
        var postgres = new Option<string>("--postgres")
        {
            Description = $"The PostgreSQL connection string, Npgsql syntax (Host=db;Username=app;Password=…), the sidecar's {PostgresKey}. " +
                "Default: that key from appsettings.json, --config or the environment (BusRuntime__Postgres).",
        };
        var schema = new Option<string>("--schema")
        {
            Description = $"The schema to migrate, the sidecar's {SchemaKey}. Default: that key, else busruntime.",
        };
        var config = new Option<FileInfo>("--config") { Description = "A JSON configuration file, read as `busruntime run --config` reads it." };
        config.AcceptExistingOnly();
        var migrate = new Command(
            "migrate",
            "Applies the PostgreSQL schema of the sidecar's stores: BusRuntime's SQL migrations (locks, sequences, configuration, " +
            "journal, the workflows' saga table; recorded in <schema>.schema_migrations) and Marten's state documents (mt_doc_state, the sequence state_revision). " +
            "Safe to run again: what is in place is left alone. The user needs CREATE on the database (or the schema).\n" +
            "Exit code 0 when the schema is in place, 1 when PostgreSQL failed (unreachable, refused), 2 when the configuration is wrong.\n\n" +
            "Examples:\n" +
            "  busruntime db migrate --postgres \"Host=db;Username=owner;Password=…\" --schema orders\n" +
            "  BusRuntime__Postgres=\"Host=db;…\" busruntime db migrate --config appsettings.Production.json")
        {
            postgres, schema, config,
        };
        migrate.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var configuration = Configuration(result.GetValue(config)?.FullName);
            var connectionString = result.GetValue(postgres) ?? configuration[PostgresKey];
            var connectionKey = result.GetValue(postgres) is null ? PostgresKey : "--postgres";
            var schemaName = result.GetValue(schema) ?? configuration[SchemaKey] ?? new StoreOptions().PostgresSchema;
            var schemaKey = result.GetValue(schema) is null ? SchemaKey : "--schema";
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                await error.WriteLineAsync($"busruntime db migrate: no connection string: pass --postgres or set {PostgresKey} (BusRuntime__Postgres).");
                return 2;
            }

            try
            {
                await PostgresSchemaMigration.MigrateAsync(
                    connectionString,
                    schemaName,
                    [new PostgresSagaRepositoryOptions<WorkflowState>().Table],
                    [.. configuration.GetSection(StoreOptions.StateQueryIndexesKey).GetChildren().Select(key => key.Value ?? "")],
                    connectionKey, schemaKey, line => output.WriteLine(line), cancellationToken);
                await output.WriteLineAsync("Done: sidecars with BusRuntime:PostgresAutoCreate=None can use this schema.");
                return 0;
            }
            catch (InvalidOperationException exception) when (exception.InnerException is null or ArgumentException)
            {
                await error.WriteLineAsync($"busruntime db migrate: {exception.Message}");
                return 2;
            }
            catch (Exception exception) when (FindNpgsql(exception) is { } npgsql && !cancellationToken.IsCancellationRequested)
            {
                var reason = npgsql is PostgresException postgresError ? $"{postgresError.SqlState}: {postgresError.MessageText}" : npgsql.Message;
                await error.WriteLineAsync($"busruntime db migrate: PostgreSQL failed, nothing more was applied: {reason}");
                return 1;
            }
        });
        return new Command("db", "The PostgreSQL schema of the sidecar's stores.\n\nExample:\n  busruntime db migrate --postgres \"Host=db;Username=owner;Password=…\"")
        {
            migrate,
        };
    }

    private static IConfiguration Configuration(string? configFile)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        if (configFile is not null)
        {
            builder.AddJsonFile(configFile, optional: false, reloadOnChange: false);
        }

        return builder.AddEnvironmentVariables().Build();
    }

    private static NpgsqlException? FindNpgsql(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException npgsql)
            {
                return npgsql;
            }
        }

        return null;
    }
}
