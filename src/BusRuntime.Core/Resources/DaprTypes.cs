using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.Resources;

/// <summary>
/// Dapr's component types and the BusRuntime component each becomes (docs/dapr-compatibility.md, "Component YAML").
/// A Dapr type whose name is a BusRuntime type (state.in-memory, bindings.http, …) keeps it.
/// </summary>
internal static class DaprTypes
{
    public const string PubSubRabbitMq = "pubsub.rabbitmq";
    public const string PubSubInMemory = "pubsub.in-memory";

    private const string Tables =
        "BusRuntime keeps the entries of every state.postgresql component in its own tables of the schema (metadata schema, else BusRuntime:PostgresSchema), apart by component name";

    private const string NoActors = "BusRuntime has no actors";
    private const string RedisTuning = "a connection or retry tuning of Dapr's Redis client; StackExchange.Redis keeps its own";
    private const string NoQueueDeclared = "the output binding sends to an existing queue and declares none";

    private static readonly Dictionary<string, string> None = new(StringComparer.OrdinalIgnoreCase);
    private static readonly Dictionary<string, (string, string)> NoFixed = new(StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, string> PostgresIgnored = new(StringComparer.OrdinalIgnoreCase)
    {
        ["tableName"] = Tables,
        ["metadataTableName"] = Tables,
        ["cleanupInterval"] = "expired entries are deleted every BusRuntime:ExpirySweepInterval",
        ["cleanupIntervalInSeconds"] = "expired entries are deleted every BusRuntime:ExpirySweepInterval",
        ["connectionMaxIdleTime"] = "Npgsql's pool closes idle connections itself (Connection Idle Lifetime in an Npgsql connection string)",
        ["queryExecMode"] = "Npgsql chooses how it sends statements",
        ["actorStateStore"] = NoActors,
    };

    private static readonly Dictionary<string, string> RedisIgnored = new(StringComparer.OrdinalIgnoreCase)
    {
        ["actorStateStore"] = NoActors,
        ["redisMaxRetries"] = RedisTuning,
        ["redisMinRetryInterval"] = RedisTuning,
        ["redisMaxRetryInterval"] = RedisTuning,
        ["dialTimeout"] = RedisTuning,
        ["readTimeout"] = RedisTuning,
        ["writeTimeout"] = RedisTuning,
        ["poolSize"] = RedisTuning,
        ["poolTimeout"] = RedisTuning,
        ["idleTimeout"] = RedisTuning,
        ["idleCheckFrequency"] = RedisTuning,
        ["maxConnAge"] = RedisTuning,
        ["minIdleConns"] = RedisTuning,
        ["maxRetries"] = RedisTuning,
        ["maxRetryBackoff"] = RedisTuning,
    };

    private static readonly Dictionary<string, (string, string)> RedisFixed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["redisType"] = ("node", "BusRuntime talks to one Redis server; Redis Cluster is not supported"),
        ["failover"] = ("false", "Redis Sentinel is not supported"),
        ["useEntraID"] = ("false", "BusRuntime authenticates to Redis with redisUsername and redisPassword only"),
    };

    private static readonly Dictionary<string, string> PubSubRabbitMqIgnored = new(StringComparer.OrdinalIgnoreCase)
    {
        ["consumerID"] = "BusRuntime names an app's subscription queues after its app id, so the replicas of an app share them as a shared consumerID makes them in Dapr",
        ["durable"] = "BusRuntime's subscription queues are always durable",
        ["deletedWhenUnused"] = "BusRuntime's subscription queues outlive their consumers, so no event is lost while the app is down",
        ["autoAck"] = "BusRuntime acknowledges an event once the app answered it (at least once)",
        ["deliveryMode"] = "BusRuntime publishes persistent messages",
        ["requeueInFailure"] = "an event the app fails is retried as BusRuntime:PubSub:RetryLimit and its intervals say, then dead-lettered",
        ["prefetchCount"] = "BusRuntime:PubSub:ConcurrentDeliveries bounds the events in flight",
        ["concurrencyMode"] = "BusRuntime:PubSub:ConcurrentDeliveries bounds the events in flight",
        ["reconnectWait"] = "the bus reconnects by itself",
        ["publisherConfirm"] = "BusRuntime always waits for the broker's confirmation of a publish",
        ["enableDeadLetter"] = "BusRuntime always dead-letters an event that exhausts its retries (docs/operations.md)",
        ["exchangeKind"] = "BusRuntime routes topics through its own exchanges",
        ["clientName"] = "the bus names its connection itself",
        ["heartBeat"] = "the bus sets the connection's heartbeat itself",
    };

    private static readonly Dictionary<string, (string, string)> PubSubRabbitMqFixed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["saslExternal"] = ("false", "the bus authenticates with the connection string's user and password"),
        ["caCert"] = ("", "give the CA as a PEM file in BusRuntime:RabbitMqCaCertificate"),
        ["clientCert"] = ("", "client certificates are not supported"),
        ["clientKey"] = ("", "client certificates are not supported"),
    };

    private static readonly Dictionary<string, string> BindingsRabbitMqIgnored = new(StringComparer.OrdinalIgnoreCase)
    {
        ["durable"] = NoQueueDeclared,
        ["deleteWhenUnused"] = NoQueueDeclared,
        ["exclusive"] = NoQueueDeclared,
        ["maxPriority"] = NoQueueDeclared,
        ["prefetchCount"] = "a setting of input bindings, which this binding is not",
        ["reconnectWaitInSeconds"] = "the binding reconnects on the next send",
        ["direction"] = "the binding is an output binding",
    };

    private static readonly Dictionary<string, string> BindingsHttpIgnored = new(StringComparer.OrdinalIgnoreCase)
    {
        ["direction"] = "the binding is an output binding",
    };

    private static readonly Dictionary<string, DaprTypeRule> Rules = new(StringComparer.Ordinal)
    {
        [ComponentTypes.StatePostgres] = new(ComponentTypes.StatePostgres, PostgresIgnored, NoFixed) { Versions = ["v1", "v2"] },
        [ComponentTypes.StateRedis] = new(ComponentTypes.StateRedis, RedisIgnored, RedisFixed),
        [ComponentTypes.LockRedis] = new(ComponentTypes.LockRedis, RedisIgnored, RedisFixed),
        [ComponentTypes.ConfigurationPostgres] = new(
            ComponentTypes.ConfigurationPostgres,
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["table"] = "BusRuntime keeps configuration items in its own table of the schema (metadata schema, else BusRuntime:PostgresSchema), apart by component name",
                ["connectionMaxIdleTime"] = PostgresIgnored["connectionMaxIdleTime"],
                ["queryExecMode"] = PostgresIgnored["queryExecMode"],
            },
            NoFixed),
        ["configuration.redis"] = new("", None, NoFixed)
        {
            Unsupported = "BusRuntime has no Redis configuration store: use configuration.postgresql or configuration.in-memory",
        },
        [ComponentTypes.SecretStoreLocalFile] = new(
            ComponentTypes.SecretStoreLocalFile,
            None,
            new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase)
            {
                ["multiValued"] = ("false", "a secret holds one value; nested keys are flattened with nestedSeparator"),
            }),
        [ComponentTypes.BindingsHttp] = new(ComponentTypes.BindingsHttp, BindingsHttpIgnored, NoFixed),
        [ComponentTypes.BindingsRabbitMq] = new(ComponentTypes.BindingsRabbitMq, BindingsRabbitMqIgnored, NoFixed),
        [PubSubInMemory] = new(ComponentTypes.PubSubBus, None, NoFixed),
        [PubSubRabbitMq] = new(ComponentTypes.PubSubBus, PubSubRabbitMqIgnored, PubSubRabbitMqFixed),
    };

    /// <summary>The rule of a Dapr type: its own, or, for a type that is a BusRuntime type, that type as it is; null for any other.</summary>
    public static DaprTypeRule? RuleOf(string daprType) =>
        Rules.TryGetValue(daprType, out var rule) ? rule
        : ComponentsOptionsValidator.SettingsOf(daprType) is not null ? new DaprTypeRule(daprType, None, NoFixed)
        : null;

    /// <summary>Every Dapr type the files may declare, for messages.</summary>
    public static IEnumerable<string> Known =>
        Rules.Where(rule => rule.Value.Unsupported is null).Select(rule => rule.Key).Concat(ComponentTypes.All).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
}
