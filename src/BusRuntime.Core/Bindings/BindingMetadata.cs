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

    public static IReadOnlyList<string> HttpKeys { get; } = [Url, MaxResponseBytes, Timeout];

    public static IReadOnlyList<string> RabbitMqKeys { get; } = [QueueName, Exchange, RoutingKey, Host, ContentType];
}
