using System.Data.Common;
using System.Text;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Resources;

/// <summary>
/// Dapr's PostgreSQL connection strings (pgx's forms) as Npgsql's: libpq keywords
/// (<c>host=db user=app password=… dbname=orders port=5432 sslmode=require</c>) or a URL
/// (<c>postgres://app:…@db:5432/orders?sslmode=require</c>). A string with a ';' is taken as Npgsql's already.
/// A keyword BusRuntime cannot translate throws naming it, never a value (a password is any text). Component files and
/// bindings.postgresql read connection strings through it.
/// </summary>
public static class PostgresConnectionStrings
{
    private static readonly Dictionary<string, string> Keywords = new(StringComparer.Ordinal)
    {
        ["host"] = "Host",
        ["hostaddr"] = "Host",
        ["port"] = "Port",
        ["dbname"] = "Database",
        ["database"] = "Database",
        ["user"] = "Username",
        ["password"] = "Password",
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["search_path"] = "Search Path",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
        ["pool_max_conns"] = "Maximum Pool Size",
        ["pool_min_conns"] = "Minimum Pool Size",
    };

    private static readonly Dictionary<string, string> SslModes = new(StringComparer.Ordinal)
    {
        ["disable"] = "Disable",
        ["allow"] = "Allow",
        ["prefer"] = "Prefer",
        ["require"] = "Require",
        ["verify-ca"] = "VerifyCA",
        ["verify-full"] = "VerifyFull",
    };

    /// <summary>Npgsql's form of <paramref name="value"/>; a string it cannot read throws a message to follow the field's name.</summary>
    public static string ToNpgsql(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        if (trimmed.StartsWith("postgres://", StringComparison.Ordinal) || trimmed.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            return Build(FromUrl(trimmed));
        }

        return trimmed.Contains(';', StringComparison.Ordinal) ? trimmed : Build(FromKeywords(trimmed));
    }

    private static string Build(List<KeyValuePair<string, string>> pairs)
    {
        var builder = new DbConnectionStringBuilder();
        foreach (var (keyword, value) in pairs)
        {
            if (!Keywords.TryGetValue(keyword, out var npgsql))
            {
                throw new FormatException(
                    $"names keyword {Quoted.Of(keyword)}, which BusRuntime cannot translate to Npgsql; known: {string.Join(", ", Keywords.Keys)} (or give an Npgsql connection string, Host=…;Username=…).");
            }

            if (keyword == "sslmode" && !SslModes.TryGetValue(value, out var mode))
            {
                throw new FormatException($"sslmode {Quoted.Of(value)} is not one of: {string.Join(", ", SslModes.Keys)}.");
            }

            builder[npgsql] = keyword == "sslmode" ? SslModes[value] : value;
        }

        return builder.ConnectionString;
    }

    /// <summary>libpq's <c>keyword=value</c> pairs separated by spaces; a value may be single-quoted, with \' and \\ inside.</summary>
    private static List<KeyValuePair<string, string>> FromKeywords(string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var index = 0;
        while (true)
        {
            while (index < text.Length && char.IsWhiteSpace(text[index]))
            {
                index++;
            }

            if (index == text.Length)
            {
                return pairs;
            }

            var start = index;
            while (index < text.Length && text[index] != '=' && !char.IsWhiteSpace(text[index]))
            {
                index++;
            }

            var keyword = text[start..index];
            while (index < text.Length && char.IsWhiteSpace(text[index]))
            {
                index++;
            }

            if (index == text.Length || text[index] != '=')
            {
                throw new FormatException($"is not a PostgreSQL connection string: keyword {Quoted.Of(keyword)} has no '=' (libpq form: host=db user=app password=… dbname=orders, or a postgres:// URL).");
            }

            index++;
            while (index < text.Length && char.IsWhiteSpace(text[index]))
            {
                index++;
            }

            var value = new StringBuilder();
            var quoted = index < text.Length && text[index] == '\'';
            if (quoted)
            {
                index++;
            }

            while (index < text.Length && (quoted ? text[index] != '\'' : !char.IsWhiteSpace(text[index])))
            {
                if (text[index] == '\\' && index + 1 < text.Length)
                {
                    index++;
                }

                value.Append(text[index++]);
            }

            if (quoted)
            {
                if (index == text.Length)
                {
                    throw new FormatException($"is not a PostgreSQL connection string: the quoted value of keyword {Quoted.Of(keyword)} has no closing quote.");
                }

                index++;
            }

            pairs.Add(new(keyword, value.ToString()));
        }
    }

    /// <summary>postgres://[user[:password]@]host[:port][,host[:port]…][/dbname][?keyword=value&amp;…], percent-encoded.</summary>
    private static List<KeyValuePair<string, string>> FromUrl(string url)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var query = "";
        var questionMark = rest.IndexOf('?', StringComparison.Ordinal);
        if (questionMark >= 0)
        {
            query = rest[(questionMark + 1)..];
            rest = rest[..questionMark];
        }

        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            pairs.Add(new("user", Decode(colon < 0 ? userInfo : userInfo[..colon], "user")));
            if (colon >= 0)
            {
                pairs.Add(new("password", Decode(userInfo[(colon + 1)..], "password")));
            }
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var hosts = slash < 0 ? rest : rest[..slash];
        if (slash >= 0 && slash + 1 < rest.Length)
        {
            pairs.Add(new("dbname", Decode(rest[(slash + 1)..], "database")));
        }

        if (hosts.Length == 0)
        {
            throw new FormatException("is a postgres:// URL without a host.");
        }

        var parts = hosts.Split(',');
        if (parts.Length == 1 && SplitPort(parts[0]) is (var host, { } port))
        {
            pairs.Add(new("host", Decode(host, "host")));
            pairs.Add(new("port", port));
        }
        else
        {
            // Npgsql takes several hosts, each with its own port, in Host.
            pairs.Add(new("host", Decode(hosts, "host")));
        }

        foreach (var parameter in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"is a postgres:// URL whose query parameter {Quoted.Of(parameter)} is not keyword=value.");
            }

            pairs.Add(new(Decode(parameter[..equals], "query"), Decode(parameter[(equals + 1)..], "query")));
        }

        return pairs;
    }

    private static (string Host, string? Port) SplitPort(string hostAndPort)
    {
        var colon = hostAndPort.LastIndexOf(':');
        return colon < 0 || hostAndPort.EndsWith(']') ? (hostAndPort.Trim('[', ']'), null) : (hostAndPort[..colon].Trim('[', ']'), hostAndPort[(colon + 1)..]);
    }

    private static string Decode(string text, string part)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            throw new FormatException($"is a postgres:// URL whose {part} is not percent-encoded text.");
        }
    }
}
