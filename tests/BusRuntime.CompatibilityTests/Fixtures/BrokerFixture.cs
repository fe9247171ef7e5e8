using BusRuntime.Contracts;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BusRuntime.CompatibilityTests.Fixtures;

/// <summary>
/// The shared RabbitMQ broker for tests that need sidecars of different apps to talk. It fails (never skips)
/// when the broker does not answer, saying which script starts it, and deletes what a test's apps created.
/// </summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    public const string Address = "amqp://guest:guest@127.0.0.1:5672/";

    private readonly ConnectionFactory factory = new()
    {
        Uri = new Uri(Address),
        RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
        AutomaticRecoveryEnabled = false,
        ClientProvidedName = "BusRuntime.CompatibilityTests",
    };

    private IConnection? connection;

    /// <summary>The configuration keys that put a sidecar on this broker.</summary>
    public static Dictionary<string, string?> Settings() => new(StringComparer.Ordinal)
    {
        ["BusRuntime:Transport"] = "RabbitMq",
        ["BusRuntime:RabbitMq"] = Address,
    };

    /// <summary>An app id no other test uses.</summary>
    public static string UniqueAppId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        try
        {
            connection = await factory.CreateConnectionAsync();
        }
        catch (Exception exception) when (exception is BrokerUnreachableException or OperationInterruptedException or IOException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"RabbitMQ does not answer at {Address} ({exception.Message}). Start it with `bash scripts/dev-services.sh` and run the tests again.",
                exception);
        }
    }

    public async Task DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.CloseAsync();
            connection.Dispose();
        }
    }

    /// <summary>Deletes what one app's subscription to a topic created: its queue with MassTransit's companions, and the topic's exchange.</summary>
    public async Task DeleteSubscriptionEntitiesAsync(string appId, string pubsubName, string topic)
    {
        var open = connection ?? throw new InvalidOperationException("The broker fixture has not started.");
        await using var channel = await open.CreateChannelAsync();
        var queue = TopicNames.Queue(appId, pubsubName, topic);
        foreach (var name in new[] { queue, queue + "_error", queue + "_skipped" })
        {
            await channel.QueueDeleteAsync(name, ifUnused: false, ifEmpty: false);
            await channel.ExchangeDeleteAsync(name, ifUnused: false);
        }

        await channel.ExchangeDeleteAsync(TopicNames.Exchange(pubsubName, topic), ifUnused: false);
    }

    /// <summary>Deletes the jobs queue of an app whose jobs a test fired, with the exchange MassTransit bound to it.</summary>
    public async Task DeleteJobEntitiesAsync(string appId)
    {
        var open = connection ?? throw new InvalidOperationException("The broker fixture has not started.");
        await using var channel = await open.CreateChannelAsync();
        await channel.QueueDeleteAsync(JobNames.Queue(appId), ifUnused: false, ifEmpty: false);
        await channel.ExchangeDeleteAsync(JobNames.Queue(appId), ifUnused: false);
    }

    /// <summary>Deletes the invoke exchange and queue of an app a test invoked.</summary>
    public async Task DeleteInvokeEntitiesAsync(string appId)
    {
        var open = connection ?? throw new InvalidOperationException("The broker fixture has not started.");
        await using var channel = await open.CreateChannelAsync();
        await channel.QueueDeleteAsync(InvokeNames.Queue(appId), ifUnused: false, ifEmpty: false);
        await channel.ExchangeDeleteAsync(InvokeNames.Queue(appId), ifUnused: false);
        await channel.ExchangeDeleteAsync(InvokeNames.Exchange(appId), ifUnused: false);
    }
}
