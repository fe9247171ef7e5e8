using System.Diagnostics;
using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests;

/// <summary>
/// The fan-out check both kinds of subscriber pass: events published to a topic reach every one of two
/// competing replicas of one app together, and all of them reach another app; none lost, none unknown,
/// none twice.
/// </summary>
internal static class FanOut
{
    public static async Task PublishAndVerifyAsync(
        RabbitMqFixture broker,
        ITestOutputHelper output,
        TestSidecar publisher,
        string topic,
        int count,
        (string AppId, string Queue, Func<IEnumerable<string>> Replica1, Func<IEnumerable<string>> Replica2) competing,
        (string Queue, Func<IEnumerable<string>> Received) other)
    {
        IEnumerable<string> BothReplicas() => competing.Replica1().Concat(competing.Replica2());

        var clock = Stopwatch.StartNew();
        var published = await Publishing.PublishManyAsync(publisher, topic, count);
        var publishedIn = clock.Elapsed;
        var publishedIds = published.ToHashSet(StringComparer.Ordinal);
        await Poll.UntilAsync(
            () => new Deliveries(BothReplicas()).HasAll(published) && new Deliveries(other.Received()).HasAll(published),
            TimeSpan.FromSeconds(60),
            () => $"{competing.AppId} has {new Deliveries(BothReplicas())}, the other app has {new Deliveries(other.Received())} of {count}");
        var deliveredIn = clock.Elapsed;
        await broker.WaitForMessageCountAsync(competing.Queue, 0, TimeSpan.FromSeconds(10));
        await broker.WaitForMessageCountAsync(other.Queue, 0, TimeSpan.FromSeconds(10));

        var replica1 = new Deliveries(competing.Replica1());
        var replica2 = new Deliveries(competing.Replica2());
        var together = new Deliveries(BothReplicas());
        var otherApp = new Deliveries(other.Received());
        output.WriteLine($"published {count} events of 1 KB in {publishedIn.TotalSeconds:0.00}s; all delivered after {deliveredIn.TotalSeconds:0.00}s");
        output.WriteLine($"{competing.AppId} replica 1: {replica1}; replica 2: {replica2}; together: {together}");
        output.WriteLine($"other app: {otherApp}");
        Assert.Equal(count, publishedIds.Count);
        Assert.Empty(together.Missing(published));
        Assert.Empty(otherApp.Missing(published));
        Assert.Empty(together.Unknown(publishedIds));
        Assert.Empty(otherApp.Unknown(publishedIds));
        Assert.True(replica1.Distinct > 0 && replica2.Distinct > 0, $"Both replicas of {competing.AppId} compete for its queue: replica 1 got {replica1.Distinct}, replica 2 got {replica2.Distinct}.");
        Assert.Equal(0, together.Duplicates);
        Assert.Equal(0, otherApp.Duplicates);
    }
}
