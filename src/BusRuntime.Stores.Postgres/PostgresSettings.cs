using System.Globalization;
using System.Text.RegularExpressions;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Security;
using BusRuntime.Core.State.Query;
using JasperFx;
using Npgsql;

namespace BusRuntime.Stores.Postgres;

/// <summary>
/// Where one postgresql component keeps its rows: the connection string and schema of its metadata, else
/// BusRuntime:Postgres and BusRuntime:PostgresSchema. A class rather than a record, so that no generated
/// ToString ever prints the password.
/// </summary>
internal sealed partial class PostgresSettings
{
    public const string ConnectionStringKey = StoreOptions.ConnectionStringMetadataKey;
    public const string SchemaKey = StoreOptions.SchemaMetadataKey;
    public const string DefaultConnectionStringKey = "BusRuntime:Postgres";
    public const string DefaultSchemaKey = "BusRuntime:PostgresSchema";
    public const string AutoCreateKey = "BusRuntime:PostgresAutoCreate";

    /// <summary>Connecting to an unreachable server fails after this long unless the connection string says otherwise (Npgsql waits 15 s).</summary>
    public const int DefaultConnectTimeoutSeconds = 5;

    /// <summary>A statement fails after this long unless the connection string says otherwise (Npgsql waits 30 s).</summary>
    public const int DefaultCommandTimeoutSeconds = 15;

    /// <summary>
    /// Connections one sidecar opens at most unless the connection string says otherwise (Npgsql: 100,
    /// which is all of a default PostgreSQL server's max_connections). Calls beyond it wait for a free
    /// connection, which at a few hundred microseconds a call is a short wait.
    /// </summary>
    public const int DefaultMaxPoolSize = 20;

    private PostgresSettings(string connectionString, string schema, string server, string? sslRequirement, AutoCreate autoCreate, IReadOnlyList<QueryPath> stateQueryIndexes)
    {
        AutoCreate = autoCreate;
        StateQueryIndexes = stateQueryIndexes;
        ConnectionString = connectionString;
        Schema = schema;
        Server = server;
        SslRequirement = sslRequirement;
    }

    /// <summary>The connection string with BusRuntime's defaults applied; it may hold a password, so it is never shown.</summary>
    public string ConnectionString { get; }

    public string Schema { get; }

    /// <summary>Whether Marten creates the state documents' schema on first use (<see cref="AutoCreate.CreateOrUpdate"/>) or leaves it to <c>busruntime db migrate</c>.</summary>
    public AutoCreate AutoCreate { get; }

    /// <summary>The query keys the schema's state documents are indexed on (BusRuntime:StateQueryIndexes).</summary>
    public IReadOnlyList<QueryPath> StateQueryIndexes { get; }

    /// <summary>host:port/database, for operators.</summary>
    public string Server { get; }

    /// <summary>What the connection string demands of the server's SSL, for a failure to explain; null when it demands nothing.</summary>
    public string? SslRequirement { get; }

    /// <summary>Reads and checks a component's settings; a missing or bad value throws naming its configuration key.</summary>
    public static PostgresSettings For(ComponentOptions component, StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(options);
        var ownConnectionString = ComponentMetadata.GetString(component, ConnectionStringKey);
        var connectionString = ownConnectionString ?? (string.IsNullOrWhiteSpace(options.Postgres) ? null : options.Postgres);
        if (connectionString is null)
        {
            throw new InvalidOperationException(
                $"BusRuntime:Components[{component.Name}] is a {component.Type} component but no connection string is set: set {DefaultConnectionStringKey} (--postgres) or its metadata {ConnectionStringKey}.");
        }

        var connectionKey = ownConnectionString is null ? DefaultConnectionStringKey : ComponentMetadata.KeyOf(component, ConnectionStringKey);
        var ownSchema = ComponentMetadata.GetString(component, SchemaKey);
        var schemaKey = ownSchema is null ? DefaultSchemaKey : ComponentMetadata.KeyOf(component, SchemaKey);
        return Create(connectionString, ownSchema ?? options.PostgresSchema, connectionKey, schemaKey, ParseAutoCreate(options.PostgresAutoCreate), options.StateQueryIndexes);
    }

    /// <summary>
    /// Checks a connection string and schema and applies BusRuntime's defaults; a bad value throws naming
    /// <paramref name="connectionKey"/> or <paramref name="schemaKey"/>, never showing the password.
    /// </summary>
    public static PostgresSettings Create(
        string connectionString, string schema, string connectionKey, string schemaKey, AutoCreate autoCreate = AutoCreate.CreateOrUpdate, IEnumerable<string>? stateQueryIndexes = null)
    {
        IReadOnlyList<QueryPath> indexes;
        try
        {
            indexes = StoreOptions.ParseStateQueryIndexes(stateQueryIndexes ?? []);
        }
        catch (RuntimeException exception)
        {
            throw new InvalidOperationException(exception.Message, exception);
        }

        var builder = Parse(connectionString, connectionKey);
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new InvalidOperationException($"{connectionKey} names no Host; set Host=<server> in the connection string.");
        }

        ApplyDefaults(builder);
        if (!string.IsNullOrEmpty(builder.RootCertificate))
        {
            // Npgsql reads it only when connecting: a wrong path would look like a server that refuses SSL.
            PemFiles.Certificates(builder.RootCertificate, $"{connectionKey} Root Certificate");
        }

        if (!SchemaRegex().IsMatch(schema))
        {
            throw new InvalidOperationException($"{schemaKey} '{schema}' must match {Names.SchemaPattern} (lower-case letters, digits and '_').");
        }

        var server = string.Create(CultureInfo.InvariantCulture, $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}");
        return new PostgresSettings(builder.ConnectionString, schema, server, SslRequirementOf(builder), autoCreate, indexes);
    }

    /// <summary>BusRuntime:PostgresAutoCreate as Marten's setting; anything but CreateOrUpdate or None throws naming the key.</summary>
    public static AutoCreate ParseAutoCreate(string? value) => value switch
    {
        null or "" or "CreateOrUpdate" => AutoCreate.CreateOrUpdate,
        "None" => AutoCreate.None,
        _ => throw new InvalidOperationException($"{AutoCreateKey} '{value}' must be CreateOrUpdate or None."),
    };

    private static string? SslRequirementOf(NpgsqlConnectionStringBuilder builder)
    {
        var roots = string.IsNullOrEmpty(builder.RootCertificate) ? "a root this machine trusts" : $"Root Certificate '{builder.RootCertificate}'";
        return builder.SslMode switch
        {
            SslMode.Require => "SSL Mode=Require: the server must have ssl = on",
            SslMode.VerifyCA => $"SSL Mode=VerifyCA: the server must have ssl = on and a certificate that chains to {roots}",
            SslMode.VerifyFull => $"SSL Mode=VerifyFull: the server must have ssl = on and a certificate that chains to {roots} and names Host '{builder.Host}'",
            _ => null,
        };
    }

    private static NpgsqlConnectionStringBuilder Parse(string connectionString, string connectionKey)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            // Npgsql's message names the keyword or a position, not the value; a password, being any text, never fails to parse.
            throw new InvalidOperationException(
                $"{connectionKey} is not a valid PostgreSQL connection string (Npgsql syntax, e.g. Host=db;Username=app;Password=…): {exception.Message}", exception);
        }
    }

    private static void ApplyDefaults(NpgsqlConnectionStringBuilder builder)
    {
        // Keys lists the keywords the string sets, under their canonical names.
        var set = new HashSet<string>(builder.Keys, StringComparer.OrdinalIgnoreCase);
        if (!set.Contains("Timeout"))
        {
            builder.Timeout = DefaultConnectTimeoutSeconds;
        }

        if (!set.Contains("Command Timeout"))
        {
            builder.CommandTimeout = DefaultCommandTimeoutSeconds;
        }

        if (!set.Contains("Maximum Pool Size"))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        if (!set.Contains("Application Name"))
        {
            builder.ApplicationName = "BusRuntime";
        }
    }

    [GeneratedRegex(Names.SchemaPattern)]
    private static partial Regex SchemaRegex();
}
