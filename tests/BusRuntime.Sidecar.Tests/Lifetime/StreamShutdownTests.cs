using System.Diagnostics;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;

namespace BusRuntime.Sidecar.Tests.Lifetime;

public sealed class StreamShutdownTests
{
    [Fact]
    public async Task Stop_SubscriberStreamsOpen_StreamsEndAndTheSidecarStopsWellWithinTheHostsShutdownTimeout()
    {
        var sidecar = await TestSidecar.StartAsync("stream-stop");
        using var events = sidecar.Runtime.SubscribeTopicEvents();
        await events.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
        {
            InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = "orders" },
        });
        Assert.True(await events.ResponseStream.MoveNext(CancellationToken.None));
        using var configuration = sidecar.Runtime.SubscribeConfiguration();
        await configuration.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = "configstore", AppId = "stream-stop" });
        Assert.True(await configuration.ResponseStream.MoveNext(CancellationToken.None));

        var eventsEnd = events.ResponseStream.MoveNext(CancellationToken.None);
        var configurationEnd = configuration.ResponseStream.MoveNext(CancellationToken.None);
        var stopwatch = Stopwatch.StartNew();
        await sidecar.DisposeAsync();
        stopwatch.Stop();

        // Kestrel would wait for the open streams until the host's shutdown timeout (30 s) and then cut them.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"stopping took {stopwatch.Elapsed}");
        Assert.True(eventsEnd.IsCompleted && configurationEnd.IsCompleted, "a stream was still open after the sidecar stopped");
        await Assert.ThrowsAnyAsync<Exception>(() => eventsEnd);
        await Assert.ThrowsAnyAsync<Exception>(() => configurationEnd);
    }
}
