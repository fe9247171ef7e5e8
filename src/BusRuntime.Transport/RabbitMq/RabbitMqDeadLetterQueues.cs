using System.Text;
using BusRuntime.Core.DeadLetters;
using BusRuntime.Core.Errors;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>
/// Dead letters on RabbitMQ, on a connection of the operation's own. Messages are read with basic.get
/// without acknowledgement, so a peek or an interrupted redrive leaves them where they were; a redrive
/// acknowledges the dead letter only after the broker confirmed the resend (at least once, never lost).
/// </summary>
public sealed class RabbitMqDeadLetterQueues(RabbitMqNodes nodes) : IDeadLetterQueues
{
    /// <summary>The header a redriven message carries, naming the dead-letter queue it came from.</summary>
    public const string RedrivenFromHeader = "busruntime-redriven-from";

    private const string FaultHeaderPrefix = "MT-Fault-";
    private const string ReasonHeader = "MT-Reason";

    public async Task<long?> CountAsync(string queue, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(
                async (channel, token) =>
                {
                    var declared = await channel.QueueDeclarePassiveAsync(queue, token).ConfigureAwait(false);
                    return (long?)declared.MessageCount;
                },
                confirms: false,
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<DeadLetter>> PeekAsync(string queue, int limit, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync<IReadOnlyList<DeadLetter>>(
                async (channel, token) =>
                {
                    var found = new List<DeadLetter>();
                    while (found.Count < limit && await channel.BasicGetAsync(queue, autoAck: false, token).ConfigureAwait(false) is { } message)
                    {
                        found.Add(Describe(queue, message));
                    }

                    return found;
                },
                confirms: false,
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return [];
        }
    }

    public async Task<DeadLetter?> RedriveOneAsync(string queue, string sourceQueue, string? messageId, CancellationToken cancellationToken)
    {
        try
        {
            return await RedriveAsync(queue, sourceQueue, messageId, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            // No dead-letter queue yet (nothing was ever dead-lettered there): nothing to redrive.
            return null;
        }
    }

    private Task<DeadLetter?> RedriveAsync(string queue, string sourceQueue, string? messageId, CancellationToken cancellationToken) =>
        RunAsync<DeadLetter?>(
            async (channel, token) =>
            {
                // Messages skipped while looking for messageId stay unacknowledged and go back when the channel closes.
                while (await channel.BasicGetAsync(queue, autoAck: false, token).ConfigureAwait(false) is { } message)
                {
                    if (messageId is not null && message.BasicProperties.MessageId != messageId)
                    {
                        continue;
                    }

                    var properties = new BasicProperties(message.BasicProperties);
                    var headers = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var (key, value) in message.BasicProperties.Headers ?? new Dictionary<string, object?>())
                    {
                        if (!key.StartsWith(FaultHeaderPrefix, StringComparison.Ordinal) && key != ReasonHeader)
                        {
                            headers[key] = value;
                        }
                    }

                    headers[RedrivenFromHeader] = queue;
                    properties.Headers = headers;
                    try
                    {
                        await channel.BasicPublishAsync("", sourceQueue, mandatory: true, properties, message.Body, token).ConfigureAwait(false);
                    }
                    catch (PublishException exception)
                    {
                        throw RuntimeException.Unavailable(
                            $"the broker did not take message {message.BasicProperties.MessageId} back on queue '{sourceQueue}' ({(exception.IsReturn ? "no such queue" : "not confirmed")}); it stays in '{queue}'.",
                            exception);
                    }

                    await channel.BasicAckAsync(message.DeliveryTag, multiple: false, token).ConfigureAwait(false);
                    return Describe(queue, message);
                }

                return null;
            },
            confirms: true,
            cancellationToken);

    private async Task<T> RunAsync<T>(Func<IChannel, CancellationToken, Task<T>> work, bool confirms, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            VirtualHost = nodes.First.VirtualHost,
            UserName = nodes.First.Username,
            Password = nodes.First.Password,
        };
        IConnection connection;
        try
        {
            connection = await factory.CreateConnectionAsync(nodes.Resolver, "busruntime-deadletters", cancellationToken).ConfigureAwait(false);
        }
        catch (BrokerUnreachableException exception)
        {
            throw RuntimeException.Unavailable($"RabbitMQ at {nodes} is unreachable: {exception.InnerException?.Message ?? exception.Message}", exception);
        }

        await using (connection.ConfigureAwait(false))
        {
            var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: confirms, publisherConfirmationTrackingEnabled: confirms),
                cancellationToken).ConfigureAwait(false);
            await using (channel.ConfigureAwait(false))
            {
                var result = await work(channel, cancellationToken).ConfigureAwait(false);
                await channel.CloseAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    private static DeadLetter Describe(string queue, BasicGetResult message)
    {
        var headers = message.BasicProperties.Headers;
        return new DeadLetter(message.BasicProperties.MessageId ?? "", queue, Text(headers, "MT-Fault-Message"), Text(headers, "MT-Fault-Timestamp"));
    }

    private static string? Text(IDictionary<string, object?>? headers, string key) =>
        headers is not null && headers.TryGetValue(key, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => null,
            _ => value.ToString(),
        } : null;
}
