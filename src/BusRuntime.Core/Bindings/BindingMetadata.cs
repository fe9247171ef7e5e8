namespace BusRuntime.Core.Bindings;

/// <summary>The metadata keys of the output binding types: of the component (configuration) and of a request.</summary>
public static class BindingMetadata
{
    /// <summary>bindings.http: the base URL requests go to (Dapr's key).</summary>
    public const string Url = "url";

    /// <summary>bindings.http: the largest response body the binding reads, in bytes (BusRuntime:MaxPayloadBytes unless set).</summary>
    public const string MaxResponseBytes = "maxResponseBytes";

    /// <summary>bindings.http: how long one request may take, as a TimeSpan (00:00:30 unless set).</summary>
    public const string Timeout = "timeout";

    /// <summary>bindings.rabbitmq: the queue messages go to, through the default exchange (Dapr's key).</summary>
    public const string QueueName = "queueName";

    /// <summary>bindings.rabbitmq: the exchange messages go to instead of a queue.</summary>
    public const string Exchange = "exchange";

    /// <summary>bindings.rabbitmq: the routing key of messages sent to <see cref="Exchange"/> (empty unless set).</summary>
    public const string RoutingKey = "routingKey";

    /// <summary>bindings.rabbitmq: the broker's AMQP URI (the sidecar's own broker unless set; Dapr's key).</summary>
    public const string Host = "host";

    /// <summary>bindings.rabbitmq: the content type messages carry (Dapr's key).</summary>
    public const string ContentType = "contentType";

    /// <summary>A bindings.http request: the path after the component's URL (Dapr's key).</summary>
    public const string RequestPath = "path";

    /// <summary>A bindings.http response: its HTTP status code (Dapr's key).</summary>
    public const string StatusCode = "statusCode";

    /// <summary>A bindings.rabbitmq request: the message's time to live in seconds (Dapr's key).</summary>
    public const string TtlInSeconds = "ttlInSeconds";

    /// <summary>Any binding: <c>input</c>, <c>output</c> or both ("input, output"); an input binding that names input is not probed (Dapr's key).</summary>
    public const string Direction = "direction";

    /// <summary>An input binding: the app's HTTP path its events are POSTed to, <c>/{name}</c> unless set (Dapr's key).</summary>
    public const string Route = "route";

    /// <summary>bindings.cron: when it fires, as Dapr's (robfig/cron): 5 or 6 fields (seconds first), @daily…, or @every and a Go duration.</summary>
    public const string Schedule = "schedule";

    /// <summary>bindings.cron: the lock store whose lock decides which replica of the app delivers a tick (the default lock store unless set).</summary>
    public const string LockStore = "lockStore";

    /// <summary>bindings.rabbitmq input: whether the queue it consumes survives a broker restart (true unless set; Dapr's key).</summary>
    public const string Durable = "durable";

    /// <summary>bindings.rabbitmq input: whether the broker deletes the queue when its last consumer leaves (false unless set; Dapr's key).</summary>
    public const string DeleteWhenUnused = "deleteWhenUnused";

    /// <summary>bindings.rabbitmq input: how many unacknowledged messages the broker sends at once (Dapr's key; 1 unless set, at most 1000).</summary>
    public const string PrefetchCount = "prefetchCount";

    /// <summary>bindings.rabbitmq input: whether the queue is this consumer's alone (false unless set; Dapr's key).</summary>
    public const string Exclusive = "exclusive";

    /// <summary>The metadata a bindings.cron event carries: the time zone its schedule is read in (Dapr's key).</summary>
    public const string TimeZone = "timeZone";

    /// <summary>The metadata a bindings.cron event carries: when it fired, in UTC (Dapr's key).</summary>
    public const string ReadTimeUtc = "readTimeUTC";

    /// <summary>bindings.postgresql: the most rows a query answers (1000 unless set); a query with more is RESOURCE_EXHAUSTED.</summary>
    public const string MaxRows = "maxRows";

    /// <summary>bindings.postgresql: the database (Dapr's key: libpq keywords, a postgres:// URL, or Npgsql's form; BusRuntime:Postgres unless set).</summary>
    public const string ConnectionString = "connectionString";

    public static IReadOnlyList<string> HttpKeys { get; } = [Url, MaxResponseBytes, Timeout, Direction];

    public static IReadOnlyList<string> RabbitMqKeys { get; } =
        [QueueName, Exchange, RoutingKey, Host, ContentType, Direction, Route, Durable, DeleteWhenUnused, PrefetchCount, Exclusive];

    public static IReadOnlyList<string> PostgresKeys { get; } = [ConnectionString, Timeout, MaxRows, MaxResponseBytes, Direction];

    public static IReadOnlyList<string> CronKeys { get; } = [Schedule, Direction, Route, LockStore];
}
