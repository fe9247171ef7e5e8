using BusRuntime.Core.Resilience;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly.Registry;

namespace BusRuntime.Stores.Postgres;

/// <summary>
/// One pooled data source per distinct connection string, shared by every component that uses it, and one
/// <see cref="PostgresDatabase"/> per schema on it; all disposed with the DI container.
/// </summary>
internal sealed class PostgresDatabases(ILoggerFactory loggerFactory, ResiliencePipelineProvider<ResiliencePipelineKey> pipelines) : IAsyncDisposable, IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, NpgsqlDataSource> dataSources = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ConnectionString, string Schema), PostgresDatabase> databases = [];
    private bool disposed;

    public PostgresDatabase Get(PostgresSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var key = (settings.ConnectionString, settings.Schema);
            if (databases.TryGetValue(key, out var database))
            {
                return database;
            }

            if (!dataSources.TryGetValue(settings.ConnectionString, out var dataSource))
            {
                // Npgsql's own logging stays off: it logs every statement at Information.
                dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
                dataSources.Add(settings.ConnectionString, dataSource);
            }

            var retry = pipelines.GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.Postgres, settings.Schema));
            database = new PostgresDatabase(dataSource, settings, retry, loggerFactory.CreateLogger<PostgresDatabase>());
            databases.Add(key, database);
            return database;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in Release())
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        foreach (var dataSource in Release())
        {
            dataSource.Dispose();
        }
    }

    private List<NpgsqlDataSource> Release()
    {
        lock (gate)
        {
            disposed = true;
            foreach (var database in databases.Values)
            {
                database.Dispose();
            }

            var released = dataSources.Values.ToList();
            databases.Clear();
            dataSources.Clear();
            return released;
        }
    }
}
