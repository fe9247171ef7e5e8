namespace BusRuntime.Transport.RabbitMq;

/// <summary>Reads an amqp:// address into what MassTransit's RabbitMQ host needs.</summary>
public sealed record RabbitMqAddress(string Host, int Port, string VirtualHost, string Username, string Password)
{
    /// <summary>Parses amqp://user:password@host:port/vhost; throws naming the key on anything else.</summary>
    public static RabbitMqAddress Parse(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != "amqp" || string.IsNullOrEmpty(uri.Host))
        {
            throw new InvalidOperationException($"BusRuntime:RabbitMq '{Redact(value)}' is not an address of the form amqp://user:password@host:port/vhost.");
        }

        var userInfo = uri.UserInfo.Split(':', 2);
        var username = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "guest";
        var password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest";
        var path = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqAddress(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 5672 : uri.Port, path.Length == 0 ? "/" : path, username, password);
    }

    /// <summary>The address without its password, for logs and messages.</summary>
    public override string ToString() => $"amqp://{Username}@{Host}:{Port}/{(VirtualHost == "/" ? "" : VirtualHost)}";

    private static string Redact(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal)
            ? value.Replace(uri.UserInfo, uri.UserInfo.Split(':')[0] + ":***", StringComparison.Ordinal)
            : value;
}
