namespace BusRuntime.Transport;

/// <summary>Which bus transport the sidecar uses (configuration section "BusRuntime").</summary>
public sealed class TransportOptions
{
    public const string InMemoryName = "InMemory";
    public const string RabbitMqName = "RabbitMq";
    public const string DirectReplyToName = "DirectReplyTo";
    public const string ResponseQueueName = "ResponseQueue";

    /// <summary>"InMemory" (default: one process, nothing to install) or "RabbitMq".</summary>
    public string Transport { get; set; } = InMemoryName;

    /// <summary>The broker for the RabbitMq transport: amqp://user:password@host:port/vhost, or amqps:// for TLS.</summary>
    public string RabbitMq { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>
    /// A PEM file of the CA (or CAs) that signed the broker's certificate, for a broker on amqps:// whose CA is
    /// not among the machine's trusted roots; when set, only these CAs are trusted. Default: the machine's roots.
    /// </summary>
    public string? RabbitMqCaCertificate { get; set; }

    /// <summary>
    /// How invoke answers come back on RabbitMQ: "DirectReplyTo" (default; RabbitMQ's amq.rabbitmq.reply-to,
    /// no queue) or "ResponseQueue" (MassTransit's default: a temporary queue per sidecar). See docs/benchmarks.md.
    /// </summary>
    public string InvokeReplies { get; set; } = DirectReplyToName;

    public static IReadOnlyList<string> Allowed { get; } = [InMemoryName, RabbitMqName];

    public static IReadOnlyList<string> AllowedInvokeReplies { get; } = [DirectReplyToName, ResponseQueueName];
}
