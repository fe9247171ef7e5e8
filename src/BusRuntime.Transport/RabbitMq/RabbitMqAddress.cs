using System.Globalization;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>
/// One broker address, read the way RabbitMQ.Client reads ConnectionFactory.Uri: amqp:// is plain on port 5672,
/// amqps:// is TLS on port 5671; user name and password from the user info (guest/guest without one), the
/// vhost from the single path segment, percent-decoded ("/" without one, %2F for a '/' in it). This is the one
/// place that reads broker addresses; a list of them (a cluster) is a list of these.
/// </summary>
public sealed record RabbitMqAddress(string Host, int Port, string VirtualHost, string Username, string Password, bool Tls = false)
{
    public const string Key = "BusRuntime:RabbitMq";
    public const int DefaultPort = 5672;
    public const int DefaultTlsPort = 5671;
    public const string Form = "amqp://user:password@host:port/vhost (or amqps:// for TLS)";

    /// <summary>Parses one address; throws naming <see cref="Key"/> and what is wrong, never repeating the password.</summary>
    public static RabbitMqAddress Parse(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException($"{Key} is empty; expected {Form}.");
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri))
        {
            throw Invalid(value, $"is not an address of the form {Form}; percent-encode '@', ':', '/', '?', '#' and '%' in the user name, password and vhost");
        }

        var tls = uri.Scheme switch
        {
            "amqp" => false,
            "amqps" => true,
            _ => throw Invalid(value, $"has the scheme '{uri.Scheme}'; use amqp:// (plain, port {DefaultPort}) or amqps:// (TLS, port {DefaultTlsPort})"),
        };
        if (string.IsNullOrEmpty(uri.Host))
        {
            throw Invalid(value, $"names no host; expected {Form}");
        }

        if (uri.Port == 0)
        {
            throw Invalid(value, "has port 0; a port is between 1 and 65535");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw Invalid(value, "has a query or fragment ('?', '#'); the address takes no options: set them as BusRuntime settings, and percent-encode '?' and '#' in a password");
        }

        var (username, password) = UserInfo(value, uri);
        return new RabbitMqAddress(
            uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host,
            uri.Port < 0 ? (tls ? DefaultTlsPort : DefaultPort) : uri.Port,
            VirtualHostOf(value, uri),
            username,
            password,
            tls);
    }

    /// <summary>The address without its password, for logs and messages.</summary>
    public override string ToString()
    {
        var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        var path = VirtualHost == "/" ? "" : Uri.EscapeDataString(VirtualHost);
        return string.Create(CultureInfo.InvariantCulture, $"{(Tls ? "amqps" : "amqp")}://{Uri.EscapeDataString(Username)}@{host}:{Port}/{path}");
    }

    private static (string Username, string Password) UserInfo(string value, Uri uri)
    {
        if (uri.UserInfo.Length == 0)
        {
            return ("guest", "guest");
        }

        var parts = uri.UserInfo.Split(':');
        if (parts.Length > 2)
        {
            throw Invalid(value, "has more than one ':' in its user info; percent-encode ':' in the password as %3A");
        }

        var username = Decode(parts[0]);
        if (username.Length == 0)
        {
            throw Invalid(value, "names no user name before the password");
        }

        // As RabbitMQ.Client does: a user name alone keeps the default password.
        return (username, parts.Length == 2 ? Decode(parts[1]) : "guest");
    }

    private static string VirtualHostOf(string value, Uri uri)
    {
        // Uri keeps "%2F" escaped in its path: a '/' in it is a real separator. Unlike RabbitMQ.Client, which
        // reads amqp://host/prod/ as the vhost "prod/", a second segment, even an empty one, is refused.
        var segments = uri.AbsolutePath[1..].Split('/');
        if (segments.Length > 1)
        {
            throw Invalid(value, $"has a path of {segments.Length} segments ('{uri.AbsolutePath}'); the vhost is one segment: percent-encode '/' in it as %2F (amqp://host/%2F is the vhost '/')");
        }

        return segments[0].Length == 0 ? "/" : Decode(segments[0]);
    }

    // As RabbitMQ.Client does: '+' stays '+' (it is no space in an AMQP URI).
    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace("+", "%2B", StringComparison.Ordinal));

    private static InvalidOperationException Invalid(string value, string problem) => new($"{Key} '{Redact(value)}' {problem}.");

    /// <summary>The value with everything between the first ':' of its user info and the last '@' replaced by ***.</summary>
    private static string Redact(string value)
    {
        var authority = value.IndexOf("://", StringComparison.Ordinal);
        var start = authority < 0 ? 0 : authority + 3;
        var at = value.LastIndexOf('@');
        if (at < start)
        {
            return value;
        }

        var colon = value.IndexOf(':', start);
        return colon < 0 || colon > at ? value : string.Concat(value.AsSpan(0, colon + 1), "***", value.AsSpan(at));
    }
}
