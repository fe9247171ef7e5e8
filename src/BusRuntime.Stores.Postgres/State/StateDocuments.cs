using System.Security.Cryptography;
using System.Text;
using BusRuntime.Core.State.Query;
using JasperFx;
using Marten;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace BusRuntime.Stores.Postgres.State;

/// <summary>
/// Marten's document store for the state entries of one schema, on the data source every store of that
/// connection string shares. Entries are conjoined-tenanted: a component's name is its tenant, so two
/// components keep the same key apart. Marten creates or updates its objects on first use unless the
/// schema is applied ahead of deploy. Each key of BusRuntime:StateQueryIndexes gets an index in Marten's mapping, so
/// that Marten creates it and keeps it; an index added by hand would be dropped by its next create-or-update.
/// </summary>
internal sealed class StateDocuments(NpgsqlDataSource dataSource, string schema, AutoCreate autoCreate, IReadOnlyList<QueryPath> queryIndexes) : IDisposable
{
    /// <summary>The table Marten keeps the entries in.</summary>
    public const string Table = "mt_doc_state";

    /// <summary>The sequence every new revision (etag) of the schema comes from, so that none is reused.</summary>
    public const string RevisionSequence = "state_revision";

    private readonly Lock gate = new();
    private readonly SemaphoreSlim creation = new(1, 1);
    private DocumentStore? store;
    private volatile DocumentStore? created;

    public string Schema { get; } = schema;

    public DocumentStore Store
    {
        get
        {
            lock (gate)
            {
                return store ??= new DocumentStore(Options(dataSource, Schema, autoCreate, queryIndexes));
            }
        }
    }

    /// <summary>Forgets what Marten checked of the schema, after its table went missing under a running sidecar.</summary>
    public void Reset()
    {
        lock (gate)
        {
            store?.Dispose();
            store = null;
        }
    }

    /// <summary>
    /// Applies Marten's objects (the table, its indexes, the revision sequence) once per store, unless they
    /// are applied ahead of deploy (<see cref="AutoCreate.None"/>).
    /// </summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var current = Store;
        if (autoCreate == AutoCreate.None || ReferenceEquals(created, current))
        {
            return;
        }

        await creation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!ReferenceEquals(created, current))
            {
                await current.Storage.ApplyAllConfiguredChangesToDatabaseAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                created = current;
            }
        }
        finally
        {
            creation.Release();
        }
    }

    public void Dispose()
    {
        Reset();
        creation.Dispose();
    }

    /// <summary>Marten's configuration of the state documents in <paramref name="schema"/>.</summary>
    public static StoreOptions Options(NpgsqlDataSource dataSource, string schema, AutoCreate autoCreate, IReadOnlyList<QueryPath> queryIndexes)
    {
        ArgumentNullException.ThrowIfNull(queryIndexes);
        var options = new StoreOptions();
        options.Connection(dataSource);
        options.DatabaseSchemaName = schema;
        options.AutoCreateSchemaObjects = autoCreate;
        options.Schema.For<StateDocument>()
            .DocumentAlias("state")
            .MultiTenanted()
            .Duplicate(document => document.ExpiresAt, pgType: "timestamptz", configure: index => index.Predicate = "expires_at IS NOT NULL");
        options.Policies.ForAllDocuments(mapping =>
        {
            if (mapping.DocumentType == typeof(StateDocument))
            {
                foreach (var key in queryIndexes)
                {
                    mapping.Indexes.Add(new IndexDefinition(IndexName(key)) { Columns = [IndexExpression(key)] });
                }
            }
        });

        options.Storage.ExtendedSchemaObjects.Add(new Sequence($"{schema}.{RevisionSequence}"));
        return options;
    }

    /// <summary>
    /// The value at <paramref name="key"/> as <see cref="StateQuerySql"/> reaches it (with its members as literals
    /// where the query passes parameters, which PostgreSQL folds into the same expression), written as
    /// PostgreSQL prints it back, so that Marten finds the index it declared unchanged.
    /// </summary>
    public static string IndexExpression(QueryPath key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var expression = $"data -> {Literal(nameof(StateDocument.Json))}";
        foreach (var segment in key.Segments)
        {
            expression = $"({expression}) -> {Literal(segment)}";
        }

        return $"({expression})";
    }

    /// <summary>A name per key that stays the same across starts, whatever characters the key holds.</summary>
    public static string IndexName(QueryPath key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key.Text));
        return $"{Table}_query_{Convert.ToHexStringLower(hash.AsSpan(0, 8))}";
    }

    private static string Literal(string text) => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'::text";
}
