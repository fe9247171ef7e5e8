using System.Globalization;

namespace BusRuntime.Core.Configuration;

/// <summary>
/// The metadata of the state.redis and lock.redis components, as Dapr names them: one Redis server
/// (<see cref="Host"/>, host:port), its credentials, TLS and database. A malformed value stops start-up
/// (<see cref="Problems"/>); Redis Cluster and Sentinel are not supported, so their keys are unknown keys.
/// </summary>
public static class RedisMetadata
{
    public const string Host = "redisHost";
    public const string Password = "redisPassword";
    public const string Username = "redisUsername";
    public const string EnableTls = "enableTLS";
    public const string Database = "redisDB";

    public const int DefaultPort = 6379;

    /// <summary>The highest database number accepted; a server has 16 (0-15) unless its configuration says otherwise.</summary>
    public const int MaxDatabase = 65535;

    /// <summary>The longest host name DNS allows.</summary>
    private const int MaxHostLength = 253;

    public static IReadOnlyList<string> Keys { get; } = [Host, Password, Username, EnableTls, Database];

    /// <summary>What is wrong with a Redis component's metadata, each problem naming its key under <paramref name="key"/> (e.g. BusRuntime:Components:0).</summary>
    public static IReadOnlyList<string> Problems(ComponentOptions component, string key)
    {
        ArgumentNullException.ThrowIfNull(component);
        var problems = new List<string>();
        var host = ComponentMetadata.GetString(component, Host);
        if (host is null)
        {
            problems.Add($"{key}:Metadata:{Host} is required for a {component.Type} component: give the Redis server as host:port, e.g. 127.0.0.1:6379.");
        }
        else if (!TryParseHost(host, out _, out _))
        {
            problems.Add(
                $"{key}:Metadata:{Host} '{host}' is not host:port: give one Redis server as a host name or IP address (at most {MaxHostLength} characters, [::1] for IPv6) and an optional port from 1 to 65535; Redis Cluster and Sentinel are not supported.");
        }

        var tls = ComponentMetadata.GetString(component, EnableTls);
        if (tls is not null && !bool.TryParse(tls, out _))
        {
            problems.Add($"{key}:Metadata:{EnableTls} '{tls}' is not one of: true, false.");
        }

        var database = ComponentMetadata.GetString(component, Database);
        if (database is not null && !TryParseDatabase(database, out _))
        {
            problems.Add($"{key}:Metadata:{Database} '{database}' must be a whole number between 0 and {MaxDatabase}.");
        }

        return problems;
    }

    /// <summary>Reads redisHost: "host", "host:port" or "[ipv6]:port"; the port is <see cref="DefaultPort"/> when not given.</summary>
    public static bool TryParseHost(string value, out string host, out int port)
    {
        ArgumentNullException.ThrowIfNull(value);
        host = value;
        port = DefaultPort;
        var colon = value.LastIndexOf(':');
        var bracketed = value.StartsWith('[');
        if (colon >= 0 && (!bracketed || colon > value.IndexOf(']', StringComparison.Ordinal)))
        {
            if (!int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return false;
            }

            host = value[..colon];
        }

        if (bracketed)
        {
            if (!host.EndsWith(']'))
            {
                return false;
            }

            host = host[1..^1];
            return System.Net.IPAddress.TryParse(host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        }

        return host.Length is > 0 and <= MaxHostLength && host.All(character => char.IsAsciiLetterOrDigit(character) || character is '.' or '-' or '_');
    }

    public static bool TryParseDatabase(string value, out int database) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out database) && database <= MaxDatabase;
}
