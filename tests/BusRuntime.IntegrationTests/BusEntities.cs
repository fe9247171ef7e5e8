namespace BusRuntime.IntegrationTests;

/// <summary>
/// The queues and exchanges one test made the broker create, deleted when the test ends: each
/// subscription's queue with MassTransit's _error and _skipped companions and their exchanges, each
/// topic's exchange, and each invoked app's exchange and queue.
/// </summary>
public sealed class BusEntities(RabbitMqFixture broker) : IAsyncDisposable
{
    private readonly HashSet<string> queues = new(StringComparer.Ordinal);
    private readonly HashSet<string> exchanges = new(StringComparer.Ordinal);

    /// <summary>A new topic name; its exchange is deleted at the end.</summary>
    public string Topic(string prefix)
    {
        var topic = RabbitMqFixture.Unique(prefix);
        exchanges.Add(RabbitMqFixture.Exchange(topic));
        return topic;
    }

    /// <summary>Records that <paramref name="appId"/> subscribes to <paramref name="topic"/>; returns its queue name.</summary>
    public string Subscription(string appId, string topic)
    {
        var queue = RabbitMqFixture.Queue(appId, topic);
        Queue(queue);
        exchanges.Add(RabbitMqFixture.Exchange(topic));
        return queue;
    }

    /// <summary>A new app id whose invoke exchange and queue are deleted at the end.</summary>
    public string InvokedApp(string prefix)
    {
        var appId = RabbitMqFixture.Unique(prefix);
        exchanges.Add(BusRuntime.Contracts.InvokeNames.Exchange(appId));
        queues.Add(BusRuntime.Contracts.InvokeNames.Queue(appId));
        exchanges.Add(BusRuntime.Contracts.InvokeNames.Queue(appId));
        return appId;
    }

    /// <summary>Records a queue (and the exchange MassTransit gives it) created some other way.</summary>
    public void Queue(string queue)
    {
        foreach (var name in new[] { queue, queue + "_error", queue + "_skipped" })
        {
            queues.Add(name);
            exchanges.Add(name);
        }
    }

    public async ValueTask DisposeAsync() => await broker.DeleteAsync(queues, exchanges);
}
