using System.Text;
using BusRuntime.Transport.RabbitMq;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BusRuntime.LoadDriver.Broker;

/// <summary>
/// The exchange and queue one run publishes through. The queue is bound to the topic's exchange so every
/// event is really routed and stored, as for a subscribed app, and it is bounded and purged between phases
/// so the broker does not fill up. Both are deleted when the run ends.
/// </summary>
public sealed class BrokerTopology : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly IConnection connection;
    private readonly IChannel channel;

    private BrokerTopology(IConnection connection, IChannel channel, string exchange, string queue, long queueLimit)
    {
        this.connection = connection;
        this.channel = channel;
        Exchange = exchange;
        Queue = queue;
        QueueLimit = queueLimit;
    }

    public string Exchange { get; }

    public string Queue { get; }

    /// <summary>The queue keeps at most this many events, dropping the oldest, however long a run goes on.</summary>
    public long QueueLimit { get; }

    /// <summary>The broker's version as it announces itself on connect.</summary>
    public string BrokerVersion =>
        connection.ServerProperties is { } properties && properties.TryGetValue("version", out var version) && version is byte[] bytes
            ? Encoding.UTF8.GetString(bytes)
            : "unknown";

    /// <summary>
    /// Connects, then declares the exchange as MassTransit does (durable fanout) and binds a bounded durable queue to
    /// it: on a cluster a quorum queue, as the sidecar declares its subscriptions there.
    /// </summary>
    public static async Task<BrokerTopology> CreateAsync(RabbitMqNodes nodes, string exchange, string queue, long queueLimit, CancellationToken cancellationToken)
    {
        var address = nodes.First;
        var factory = new ConnectionFactory
        {
            HostName = address.Host,
            Port = address.Port,
            VirtualHost = address.VirtualHost,
            UserName = address.Username,
            Password = address.Password,
            RequestedConnectionTimeout = ConnectTimeout,
            ClientProvidedName = "busruntime-loaddriver",
            AutomaticRecoveryEnabled = false,
        };

        IConnection connection;
        try
        {
            connection = await factory.CreateConnectionAsync(cancellationToken);
        }
        catch (BrokerUnreachableException unreachable)
        {
            throw new LoadDriverException(
                $"RabbitMQ is not reachable at {address}: {unreachable.GetBaseException().Message}. Start it with 'bash scripts/dev-services.sh'.",
                unreachable);
        }

        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["x-max-length"] = queueLimit,
            ["x-overflow"] = "drop-head",
        };
        if (nodes.IsCluster)
        {
            arguments["x-queue-type"] = "quorum";
        }

        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queue, exchange, routingKey: "", cancellationToken: cancellationToken);
        return new BrokerTopology(connection, channel, exchange, queue, queueLimit);
    }

    /// <summary>How many events the queue holds now.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        var declared = await channel.QueueDeclarePassiveAsync(Queue, cancellationToken);
        return declared.MessageCount;
    }

    public async Task PurgeAsync(CancellationToken cancellationToken) => await channel.QueuePurgeAsync(Queue, cancellationToken);

    /// <summary>Deletes the queue and the exchange this run created, then disconnects.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (channel.IsOpen)
            {
                await channel.QueueDeleteAsync(Queue, ifUnused: false, ifEmpty: false);
                await channel.ExchangeDeleteAsync(Exchange, ifUnused: false);
                await channel.CloseAsync();
            }

            if (connection.IsOpen)
            {
                await connection.CloseAsync();
            }
        }
        finally
        {
            channel.Dispose();
            connection.Dispose();
        }
    }
}
