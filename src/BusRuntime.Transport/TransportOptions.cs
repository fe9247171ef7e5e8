namespace BusRuntime.Transport;

/// <summary>Which bus transport the sidecar uses (configuration section "BusRuntime").</summary>
public sealed class TransportOptions
{
    public const string InMemoryName = "InMemory";
    public const string RabbitMqName = "RabbitMq";

    /// <summary>"InMemory" (default: one process, nothing to install) or "RabbitMq".</summary>
    public string Transport { get; set; } = InMemoryName;

    /// <summary>The broker for the RabbitMq transport: amqp://user:password@host:port/vhost.</summary>
    public string RabbitMq { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    public static IReadOnlyList<string> Allowed { get; } = [InMemoryName, RabbitMqName];
}
