using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests.Cluster;

/// <summary>
/// A subscriber app with its sidecar and a publisher sidecar on the cluster, on a topic of their own, each sidecar
/// trying the nodes in the order given (the first is tried first).
/// </summary>
internal sealed class PubSubOnCluster : IAsyncDisposable
{
    private PubSubOnCluster(string topic, string subscriberId, string publisherId, SubscriberApp app, TestSidecar subscriber, TestSidecar publisher)
    {
        Topic = topic;
        SubscriberId = subscriberId;
        PublisherId = publisherId;
        App = app;
        Subscriber = subscriber;
        Publisher = publisher;
    }

    public string Topic { get; }

    public string SubscriberId { get; }

    public string PublisherId { get; }

    public SubscriberApp App { get; }

    public TestSidecar Subscriber { get; }

    public TestSidecar Publisher { get; }

    /// <summary>What the subscriber app received, by event id.</summary>
    public Deliveries Delivered => new(App.Received.Select(received => received.Id));

    /// <summary>Starts both sidecars and returns once the subscription is consuming and the publisher is ready.</summary>
    public static async Task<PubSubOnCluster> StartAsync(int[] subscriberNodes, int[] publisherNodes, IReadOnlyDictionary<string, string?>? publisherSettings = null)
    {
        var topic = RabbitMqFixture.Unique("orders");
        var subscriberId = RabbitMqFixture.Unique("billing");
        var publisherId = RabbitMqFixture.Unique("shop");
        var app = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, topic));
        var subscriber = await TestSidecar.StartAsync(subscriberId, ClusterFixture.Settings(subscriberNodes), app.Port);
        var publisher = await TestSidecar.StartAsync(publisherId, ClusterFixture.Settings(publisherNodes, publisherSettings));
        await subscriber.WaitForSubscriptionsAsync(1);
        await publisher.WaitUntilReadyAsync();
        return new PubSubOnCluster(topic, subscriberId, publisherId, app, subscriber, publisher);
    }

    /// <summary>Waits until every accepted event has arrived (at least once).</summary>
    public Task WaitForAllAsync(IReadOnlyList<string> accepted) =>
        Poll.UntilAsync(
            () => Delivered.HasAll(accepted),
            TimeSpan.FromSeconds(60),
            () => $"{Delivered.Missing(accepted).Count} of {accepted.Count} accepted events have not arrived");

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Subscriber.DisposeAsync();
        await App.DisposeAsync();
    }
}
