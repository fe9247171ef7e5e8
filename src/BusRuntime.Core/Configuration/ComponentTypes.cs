namespace BusRuntime.Core.Configuration;

/// <summary>
/// The component types a configuration may declare. A type is "{kind}.{implementation}", with Dapr's
/// implementation names where Dapr has one, so that Dapr component habits carry over.
/// </summary>
public static class ComponentTypes
{
    /// <summary>Pub/sub on the sidecar's bus, whichever transport it uses.</summary>
    public const string PubSubBus = "pubsub.bus";

    public const string StateInMemory = "state.in-memory";
    public const string StatePostgres = "state.postgresql";
    public const string StateRedis = "state.redis";
    public const string LockInMemory = "lock.in-memory";
    public const string LockPostgres = "lock.postgresql";
    public const string LockRedis = "lock.redis";
    public const string SequencerInMemory = "sequencer.in-memory";
    public const string SequencerPostgres = "sequencer.postgresql";
    public const string ConfigurationInMemory = "configuration.in-memory";
    public const string ConfigurationPostgres = "configuration.postgresql";

    /// <summary>Secrets in a JSON file, nested keys flattened (Dapr's type name).</summary>
    public const string SecretStoreLocalFile = "secretstores.local.file";

    /// <summary>Secrets in the sidecar's environment variables (Dapr's type name).</summary>
    public const string SecretStoreLocalEnv = "secretstores.local.env";

    /// <summary>Files in a directory on the sidecar's machine (Layotto's "local").</summary>
    public const string FileLocal = "file.local";

    /// <summary>Files in PostgreSQL, in rows of a bounded size.</summary>
    public const string FilePostgres = "file.postgresql";

    /// <summary>An output binding that calls an HTTP endpoint (Dapr's type name).</summary>
    public const string BindingsHttp = "bindings.http";

    /// <summary>An output binding that sends to a queue or an exchange of RabbitMQ, the sidecar's broker unless set (Dapr's type name).</summary>
    public const string BindingsRabbitMq = "bindings.rabbitmq";

    /// <summary>An output binding that runs SQL statements on PostgreSQL, with parameters (Dapr's type name).</summary>
    public const string BindingsPostgres = "bindings.postgresql";

    /// <summary>An input binding that fires on a schedule, once per tick per app (Dapr's type name).</summary>
    public const string BindingsCron = "bindings.cron";

    /// <summary>A greeting (Layotto's helloworld).</summary>
    public const string HelloWorld = "hello.helloworld";

    public static IReadOnlyList<string> All { get; } =
    [
        PubSubBus, StateInMemory, StatePostgres, StateRedis, LockInMemory, LockPostgres, LockRedis, SequencerInMemory, SequencerPostgres,
        ConfigurationInMemory, ConfigurationPostgres, SecretStoreLocalFile, SecretStoreLocalEnv, FileLocal, FilePostgres, BindingsHttp, BindingsRabbitMq, BindingsCron, BindingsPostgres, HelloWorld,
    ];

    /// <summary>The kind of a type: "state" for "state.postgresql".</summary>
    public static string KindOf(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var dot = type.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? type : type[..dot];
    }
}
