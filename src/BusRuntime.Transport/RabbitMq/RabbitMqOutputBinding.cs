using System.Globalization;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>
/// bindings.rabbitmq: operation "create" sends the request's data, as it is, to the component's queue (through the
/// default exchange, as Dapr's binding does) or exchange, persistent and mandatory, and answers once the broker
/// confirmed it. A message no queue takes, or the broker did not confirm, is UNAVAILABLE: it was not sent. Request
/// metadata <c>ttlInSeconds</c> sets its expiry; every other entry becomes a header. One connection per component,
/// opened on first use and again after the broker dropped it; a channel per send.
/// </summary>
public sealed class RabbitMqOutputBinding(string name, RabbitMqNodes nodes, string exchange, string routingKey, string? contentType)
    : IOutputBinding, IAsyncDisposable
{
    public const string CreateOperation = "create";

    private readonly SemaphoreSlim opening = new(1, 1);
    private IConnection? connection;

    public IReadOnlyList<string> Operations { get; } = [CreateOperation];

    /// <summary>The binding a component describes: metadata queueName, or exchange (and routingKey); host (one address or a cluster's, as <see cref="RabbitMqNodes"/> reads them), else the sidecar's broker nodes.</summary>
    public static RabbitMqOutputBinding Create(ComponentOptions component, string sidecarBroker, string? caCertificate)
    {
        ArgumentNullException.ThrowIfNull(component);
        var queue = ComponentMetadata.GetString(component, BindingMetadata.QueueName);
        var exchange = ComponentMetadata.GetString(component, BindingMetadata.Exchange);
        if ((queue is null) == (exchange is null))
        {
            throw new InvalidOperationException(
                $"{ComponentMetadata.KeyOf(component, BindingMetadata.QueueName)} or {ComponentMetadata.KeyOf(component, BindingMetadata.Exchange)}: set exactly one, the queue or the exchange messages go to.");
        }

        if (queue is not null && ComponentMetadata.GetString(component, BindingMetadata.RoutingKey) is not null)
        {
            throw new InvalidOperationException($"{ComponentMetadata.KeyOf(component, BindingMetadata.RoutingKey)} goes with an exchange; a queue is its own routing key.");
        }

        RabbitMqNodes nodes;
        try
        {
            nodes = RabbitMqNodes.Parse(ComponentMetadata.GetString(component, BindingMetadata.Host) ?? sidecarBroker, caCertificate);
        }
        catch (InvalidOperationException invalid)
        {
            throw new InvalidOperationException($"{ComponentMetadata.KeyOf(component, BindingMetadata.Host)}: {invalid.Message}", invalid);
        }

        return new RabbitMqOutputBinding(
            component.Name,
            nodes,
            exchange ?? "",
            queue ?? ComponentMetadata.GetString(component, BindingMetadata.RoutingKey) ?? "",
            ComponentMetadata.GetString(component, BindingMetadata.ContentType));
    }

    public async Task<BindingResponse> InvokeAsync(BindingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var properties = new BasicProperties
        {
            Persistent = true,
            MessageId = Guid.NewGuid().ToString("N"),
            ContentType = contentType,
            Headers = new Dictionary<string, object?>(StringComparer.Ordinal),
        };
        foreach (var (key, value) in request.Metadata)
        {
            if (key.Equals(BindingMetadata.TtlInSeconds, StringComparison.OrdinalIgnoreCase))
            {
                properties.Expiration = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= int.MaxValue / 1000
                    ? (seconds * 1000).ToString(CultureInfo.InvariantCulture)
                    : throw RuntimeException.InvalidArgument($"metadata[ttlInSeconds] {Quoted.Of(value)} must be a whole number of seconds above 0.");
            }
            else
            {
                properties.Headers[key] = value;
            }
        }

        var open = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var channel = await open.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken)
                .ConfigureAwait(false);
            await using (channel.ConfigureAwait(false))
            {
                await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, request.Data, cancellationToken).ConfigureAwait(false);
                await channel.CloseAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (PublishException exception)
        {
            throw RuntimeException.Unavailable(
                $"binding '{name}': the broker {(exception.IsReturn ? "has no queue for" : "did not confirm")} the message to {Destination()}; it was not sent.", exception);
        }
        catch (AlreadyClosedException exception)
        {
            throw RuntimeException.Unavailable($"binding '{name}': the connection to RabbitMQ at {nodes} closed; try again.", exception);
        }
        catch (OperationInterruptedException exception)
        {
            throw RuntimeException.Unavailable($"binding '{name}': the broker refused the message to {Destination()}: {exception.ShutdownReason?.ReplyText ?? exception.Message}", exception);
        }

        return new BindingResponse(ReadOnlyMemory<byte>.Empty, new Dictionary<string, string>(StringComparer.Ordinal) { ["messageId"] = properties.MessageId });
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        opening.Dispose();
    }

    private string Destination() => exchange.Length == 0 ? $"queue '{routingKey}'" : $"exchange '{exchange}'";

    private async Task<IConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (connection is { IsOpen: true } current)
        {
            return current;
        }

        await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (connection is { IsOpen: true } opened)
            {
                return opened;
            }

            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                connection = null;
            }

            var factory = new ConnectionFactory
            {
                VirtualHost = nodes.First.VirtualHost,
                UserName = nodes.First.Username,
                Password = nodes.First.Password,
                AutomaticRecoveryEnabled = false,
            };
            connection = await factory.CreateConnectionAsync(nodes.Resolver, $"busruntime-binding-{name}", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (BrokerUnreachableException exception)
        {
            throw RuntimeException.Unavailable($"binding '{name}': RabbitMQ at {nodes} is unreachable: {exception.InnerException?.Message ?? exception.Message}", exception);
        }
        finally
        {
            opening.Release();
        }
    }
}
