using System.Globalization;
using BusRuntime.Core.Configuration;
using StackExchange.Redis;

namespace BusRuntime.Stores.Redis;

/// <summary>
/// The Redis server of one component, from its metadata (<see cref="RedisMetadata"/>). A class rather than a
/// record, so that no generated ToString ever prints the password.
/// </summary>
internal sealed class RedisSettings
{
    /// <summary>Connecting, and each command, fails after this long (StackExchange.Redis waits 5 s for either too).</summary>
    public const int TimeoutMilliseconds = 5000;

    private RedisSettings(string host, int port, string? username, string? password, bool tls, int database)
    {
        Host = host;
        Port = port;
        Username = username;
        Password = password;
        Tls = tls;
        Database = database;
    }

    public string Host { get; }

    public int Port { get; }

    public string? Username { get; }

    public string? Password { get; }

    public bool Tls { get; }

    public int Database { get; }

    /// <summary>host:port/database, for operators.</summary>
    public string Server => string.Create(CultureInfo.InvariantCulture, $"{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}/{Database}");

    /// <summary>What makes two components share one connection: everything but the database, which each command names.</summary>
    public string ConnectionKey => string.Join('\n', Host, Port.ToString(CultureInfo.InvariantCulture), Username ?? "", Password ?? "", Tls ? "tls" : "");

    /// <summary>Reads a component's settings; a missing or malformed value throws naming its configuration key.</summary>
    public static RedisSettings For(ComponentOptions component)
    {
        ArgumentNullException.ThrowIfNull(component);
        var problems = RedisMetadata.Problems(component, $"BusRuntime:Components[{component.Name}]");
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }

        RedisMetadata.TryParseHost(ComponentMetadata.GetString(component, RedisMetadata.Host)!, out var host, out var port);
        var database = 0;
        if (ComponentMetadata.GetString(component, RedisMetadata.Database) is { } value)
        {
            RedisMetadata.TryParseDatabase(value, out database);
        }

        return new RedisSettings(
            host,
            port,
            ComponentMetadata.GetString(component, RedisMetadata.Username),
            ComponentMetadata.GetString(component, RedisMetadata.Password),
            ComponentMetadata.GetBoolean(component, RedisMetadata.EnableTls, false),
            database);
    }

    /// <summary>
    /// The client's options: calls fail at once while the server is unreachable (rather than queueing until
    /// they time out) and the connection is made again in the background, so the store recovers by itself.
    /// </summary>
    public ConfigurationOptions ToConfigurationOptions()
    {
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectTimeout = TimeoutMilliseconds,
            SyncTimeout = TimeoutMilliseconds,
            AsyncTimeout = TimeoutMilliseconds,
            ReconnectRetryPolicy = new ExponentialRetry(250, 2000),
            ClientName = "busruntime",
            User = Username,
            Password = Password,
            Ssl = Tls,
            SslHost = Tls ? Host : null,
            DefaultDatabase = Database,
        };
        options.EndPoints.Add(Host, Port);
        return options;
    }
}
