using System.Globalization;
using System.Text;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>
/// bindings.rabbitmq's reading side: consumes the component's <c>queueName</c> (declared as Dapr's binding declares it:
/// <c>durable</c> true, <c>deleteWhenUnused</c> and <c>exclusive</c> false unless set) with manual acknowledgements,
/// <c>prefetchCount</c> messages at a time (1 unless set, at most 1000). Each message goes to the app with its body as the
/// data and its text headers as metadata; the app's taking it acknowledges it, anything else gives it back to the queue
/// (nack with requeue) after a pause of <see cref="RequeuePause"/>, so an app that keeps failing is not called in a tight
/// loop. A message over BusRuntime:MaxPayloadBytes is rejected without requeue (to the queue's dead-letter exchange if it
/// has one), as no app call could carry it. A lost connection ends the read with an error, and the sidecar reads again on a
/// new one. A component with an exchange and no queue only sends: it reads nothing.
/// </summary>
public sealed class RabbitMqInputBinding(
    string name, RabbitMqNodes nodes, string? queue, bool durable, bool deleteWhenUnused, bool exclusive, ushort prefetchCount, int maxPayloadBytes, ILogger logger)
    : IInputBinding
{
    /// <summary>How long a message the app did not take waits before it goes back to the queue.</summary>
    public static readonly TimeSpan RequeuePause = TimeSpan.FromSeconds(1);

    private const int MaxHeaderLength = 8192;

    public static RabbitMqInputBinding Create(ComponentOptions component, string sidecarBroker, string? caCertificate, int maxPayloadBytes, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(component);
        var queue = ComponentMetadata.GetString(component, BindingMetadata.QueueName);
        if (queue is null && (ComponentMetadata.GetString(component, BindingMetadata.Direction) ?? "").Contains("input", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{ComponentMetadata.KeyOf(component, BindingMetadata.QueueName)} is not set; an input binding reads a queue, so it needs one.");
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

        return new RabbitMqInputBinding(
            component.Name,
            nodes,
            queue,
            ComponentMetadata.GetBoolean(component, BindingMetadata.Durable, true),
            ComponentMetadata.GetBoolean(component, BindingMetadata.DeleteWhenUnused, false),
            ComponentMetadata.GetBoolean(component, BindingMetadata.Exclusive, false),
            (ushort)ComponentMetadata.GetInt32(component, BindingMetadata.PrefetchCount, 1, 1, 1000),
            maxPayloadBytes,
            logger);
    }

    public async Task ReadAsync(Func<InputBindingEvent, CancellationToken, Task<bool>> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (queue is null)
        {
            return;
        }

        var factory = new ConnectionFactory
        {
            VirtualHost = nodes.First.VirtualHost,
            UserName = nodes.First.Username,
            Password = nodes.First.Password,
            AutomaticRecoveryEnabled = false,
        };
        var connection = await factory.CreateConnectionAsync(nodes.Resolver, $"busruntime-input-binding-{name}", cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (channel.ConfigureAwait(false))
            {
                var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                channel.ChannelShutdownAsync += (_, reason) =>
                {
                    closed.TrySetResult(reason.ReplyText);
                    return Task.CompletedTask;
                };
                await channel.QueueDeclareAsync(queue, durable, exclusive, deleteWhenUnused, arguments: null, cancellationToken: cancellationToken).ConfigureAwait(false);
                await channel.BasicQosAsync(0, prefetchCount, global: false, cancellationToken).ConfigureAwait(false);
                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += async (_, delivery) =>
                {
                    if (delivery.Body.Length > maxPayloadBytes)
                    {
                        Log.InputBindingMessageTooLarge(logger, name, queue, delivery.Body.Length, maxPayloadBytes);
                        await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false, CancellationToken.None).ConfigureAwait(false);
                        return;
                    }

                    var taken = await handler(new InputBindingEvent(delivery.Body.ToArray(), Metadata(delivery.BasicProperties)), cancellationToken).ConfigureAwait(false);
                    if (taken)
                    {
                        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None).ConfigureAwait(false);
                    }
                    else
                    {
                        await Task.Delay(RequeuePause, cancellationToken).ConfigureAwait(false);
                        await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None).ConfigureAwait(false);
                    }
                };
                await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
                var reason = await closed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException($"binding '{name}': the broker closed the channel consuming queue '{queue}': {reason}");
            }
        }
    }

    /// <summary>The message's text headers (AMQP carries strings as bytes), its id and content type, as metadata.</summary>
    private static Dictionary<string, string> Metadata(IReadOnlyBasicProperties properties)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (properties.Headers is { } headers)
        {
            foreach (var (key, value) in headers)
            {
                var text = value switch
                {
                    byte[] bytes when bytes.Length <= MaxHeaderLength => Encoding.UTF8.GetString(bytes),
                    string textValue when textValue.Length <= MaxHeaderLength => textValue,
                    IConvertible convertible and not string => convertible.ToString(CultureInfo.InvariantCulture),
                    _ => null,
                };
                if (text is not null)
                {
                    metadata[key] = text;
                }
            }
        }

        if (properties.MessageId is { Length: > 0 } messageId)
        {
            metadata["messageId"] = messageId;
        }

        if (properties.ContentType is { Length: > 0 } contentType)
        {
            metadata["contentType"] = contentType;
        }

        return metadata;
    }
}
