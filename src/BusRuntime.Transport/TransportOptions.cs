namespace BusRuntime.Transport;

/// <summary>Which bus transport the sidecar uses (configuration section "BusRuntime").</summary>
public sealed class TransportOptions
{
    public const string InMemoryName = "InMemory";
    public const string RabbitMqName = "RabbitMq";
    public const string DirectReplyToName = "DirectReplyTo";
    public const string ResponseQueueName = "ResponseQueue";
    public const string AutoQueuesName = "Auto";
    public const string QuorumQueuesName = "Quorum";
    public const string ClassicQueuesName = "Classic";
    public const string QueuesKey = "BusRuntime:RabbitMqQueues";

    /// <summary>"InMemory" (default: one process, nothing to install) or "RabbitMq".</summary>
    public string Transport { get; set; } = InMemoryName;

    /// <summary>
    /// The broker for the RabbitMq transport: amqp://user:password@host:port/vhost, or amqps:// for TLS; for a cluster,
    /// its nodes' addresses separated by commas (one user, password and vhost for all).
    /// </summary>
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

    /// <summary>
    /// The type of the RabbitMQ queues that outlive their consumers (subscriptions, workflow queues, their error
    /// queues): "Auto" (default: quorum queues when <see cref="RabbitMq"/> lists more than one node, else classic),
    /// "Quorum" or "Classic". An existing queue keeps its type: see docs/operations.md on moving to quorum queues.
    /// </summary>
    public string RabbitMqQueues { get; set; } = AutoQueuesName;

    public static IReadOnlyList<string> Allowed { get; } = [InMemoryName, RabbitMqName];

    public static IReadOnlyList<string> AllowedInvokeReplies { get; } = [DirectReplyToName, ResponseQueueName];

    public static IReadOnlyList<string> AllowedQueues { get; } = [AutoQueuesName, QuorumQueuesName, ClassicQueuesName];
}
