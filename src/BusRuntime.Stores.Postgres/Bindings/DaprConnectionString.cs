using Npgsql;

namespace BusRuntime.Stores.Postgres.Bindings;

/// <summary>
/// A connection string in any of the forms Dapr's PostgreSQL components take, as Npgsql's: libpq keywords
/// (<c>host=db user=app password=secret dbname=orders sslmode=require</c>), a URL
/// (<c>postgres://app:secret@db:5432/orders?sslmode=require</c>), or Npgsql's own (<c>Host=db;Username=app;…</c>, told
/// apart by its semicolons). A keyword Npgsql has no counterpart for throws naming it.
/// </summary>
public static class DaprConnectionString
{
    private static readonly Dictionary<string, string> Keywords = new(StringComparer.Ordinal)
    {
        ["host"] = "Host",
        ["hostaddr"] = "Host",
        ["port"] = "Port",
        ["user"] = "Username",
        ["password"] = "Password",
        ["dbname"] = "Database",
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["search_path"] = "Search Path",
        ["target_session_attrs"] = "Target Session Attributes",
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

    /// <summary>Npgsql's form of <paramref name="value"/>; <see cref="ArgumentException"/> naming what it cannot read.</summary>
    public static string ToNpgsql(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return FromUrl(text);
        }

        return text.Contains(';', StringComparison.Ordinal) || !text.Contains('=', StringComparison.Ordinal) ? text : FromKeywords(text);
    }

    private static string FromUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Host.Length == 0)
        {
            throw new ArgumentException("it is not a postgres:// URL of the form postgres://user:password@host:port/database.");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = url.Host };
        if (!url.IsDefaultPort && url.Port > 0)
        {
            builder.Port = url.Port;
        }

        if (url.UserInfo.Length > 0)
        {
            var colon = url.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? url.UserInfo : url.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(url.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            Set(builder, Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]), Uri.UnescapeDataString(equals < 0 ? "" : pair[(equals + 1)..]));
        }

        return builder.ConnectionString;
    }

    private static string FromKeywords(string text)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        var position = 0;
        while (position < text.Length)
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            if (position == text.Length)
            {
                break;
            }

            var equals = text.IndexOf('=', position);
            if (equals < 0)
            {
                throw new ArgumentException($"'{text[position..].Split(' ')[0]}' is not a keyword=value pair.");
            }

            var keyword = text[position..equals].Trim();
            position = equals + 1;
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            string setting;
            if (position < text.Length && text[position] == '\'')
            {
                var end = position + 1;
                var quoted = new System.Text.StringBuilder();
                while (end < text.Length && text[end] != '\'')
                {
                    if (text[end] == '\\' && end + 1 < text.Length)
                    {
                        end++;
                    }

                    quoted.Append(text[end]);
                    end++;
                }

                if (end >= text.Length)
                {
                    throw new ArgumentException($"the value of {keyword} opens a quote it does not close.");
                }

                setting = quoted.ToString();
                position = end + 1;
            }
            else
            {
                var end = position;
                while (end < text.Length && !char.IsWhiteSpace(text[end]))
                {
                    end++;
                }

                setting = text[position..end];
                position = end;
            }

            Set(builder, keyword, setting);
        }

        return builder.ConnectionString;
    }

    private static void Set(NpgsqlConnectionStringBuilder builder, string keyword, string setting)
    {
        if (!Keywords.TryGetValue(keyword, out var npgsql))
        {
            throw new ArgumentException($"'{keyword}' is not a connection keyword BusRuntime reads; it reads: {string.Join(", ", Keywords.Keys)}.");
        }

        if (keyword == "sslmode")
        {
            setting = SslModes.TryGetValue(setting, out var mode)
                ? mode
                : throw new ArgumentException($"sslmode '{setting}' is not one of: {string.Join(", ", SslModes.Keys)}.");
        }

        try
        {
            builder[npgsql] = setting;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
        {
            throw new ArgumentException($"{keyword} '{(keyword == "password" ? "***" : setting)}' is not valid: {exception.Message}", exception);
        }
    }
}
