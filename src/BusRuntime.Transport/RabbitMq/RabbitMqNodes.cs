using RabbitMQ.Client;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>
/// The broker nodes the sidecar connects to: one address, or a cluster's nodes as addresses separated by commas,
/// which share one user, password, vhost and scheme (the cluster's users and vhosts are the same on every node).
/// Every connection the sidecar opens, the bus's and its own, tries the nodes through <see cref="Resolver"/>.
/// </summary>
public sealed class RabbitMqNodes
{
    /// <summary>More nodes than a cluster has: a bound on the list, since each one can cost a connect attempt.</summary>
    public const int MaxNodes = 16;

    private readonly RabbitMqTls tls;
    private int next;

    private RabbitMqNodes(IReadOnlyList<RabbitMqAddress> addresses, RabbitMqTls tls)
    {
        Addresses = addresses;
        this.tls = tls;
    }

    public IReadOnlyList<RabbitMqAddress> Addresses { get; }

    /// <summary>The first node: where the user, password and vhost are read from (the same on every node).</summary>
    public RabbitMqAddress First => Addresses[0];

    public bool IsCluster => Addresses.Count > 1;

    /// <summary>How the nodes' TLS certificates are checked (on amqps://).</summary>
    public RabbitMqTls Tls => tls;

    /// <summary>
    /// Parses <see cref="RabbitMqAddress.Key"/>: one address or several separated by commas; throws naming the key
    /// and the address at fault, never repeating a password. The TLS settings are read for the first address (all
    /// nodes share its scheme).
    /// </summary>
    public static RabbitMqNodes Parse(string value, string? caCertificatePath)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > MaxNodes)
        {
            throw new InvalidOperationException($"{RabbitMqAddress.Key} lists {parts.Length} addresses; at most {MaxNodes} are allowed.");
        }

        if (parts.Length > 1 && parts.Any(part => part.Length == 0))
        {
            throw new InvalidOperationException($"{RabbitMqAddress.Key} has an empty address in its list; separate the nodes' addresses with single commas.");
        }

        var addresses = parts.Select(RabbitMqAddress.Parse).ToArray();
        var first = addresses[0];
        foreach (var other in addresses.Skip(1))
        {
            if (other.Username != first.Username || other.Password != first.Password || other.VirtualHost != first.VirtualHost || other.Tls != first.Tls)
            {
                throw new InvalidOperationException(
                    $"{RabbitMqAddress.Key}: the nodes of a cluster share one user, password, vhost and scheme, but '{other}' differs from '{first}' in its {Difference(first, other)}.");
            }

            if (other.Host == first.Host && other.Port == first.Port)
            {
                throw new InvalidOperationException($"{RabbitMqAddress.Key} lists '{other}' twice.");
            }
        }

        return new RabbitMqNodes(addresses, RabbitMqTls.For(first, caCertificatePath));
    }

    /// <summary>
    /// The endpoints for one connection attempt: every node, starting after the one the last connection went to, so
    /// a reconnect after a node's loss tries the others first, and one attempt is enough to find any live node
    /// (MassTransit's own cluster resolver offers one node per attempt, each failed one costing its back-off).
    /// </summary>
    public IEndpointResolver Resolver => new NodeResolver(this);

    /// <summary>The addresses without their passwords, for logs and messages.</summary>
    public override string ToString() => string.Join(", ", Addresses);

    private AmqpTcpEndpoint Endpoint(RabbitMqAddress address) => new(address.Host, address.Port, tls.SslOption(address));

    private static string Difference(RabbitMqAddress first, RabbitMqAddress other) =>
        other.Username != first.Username ? "user"
        : other.Password != first.Password ? "password"
        : other.VirtualHost != first.VirtualHost ? "vhost"
        : "scheme";

    private sealed class NodeResolver(RabbitMqNodes nodes) : IEndpointResolver
    {
        public IEnumerable<AmqpTcpEndpoint> All()
        {
            var count = nodes.Addresses.Count;
            var start = Volatile.Read(ref nodes.next);
            for (var i = 0; i < count; i++)
            {
                var index = (start + i) % count;

                // RabbitMQ.Client stops asking once a node answered: the next attempt starts after that one.
                Volatile.Write(ref nodes.next, (index + 1) % count);
                yield return nodes.Endpoint(nodes.Addresses[index]);
            }
        }
    }
}
