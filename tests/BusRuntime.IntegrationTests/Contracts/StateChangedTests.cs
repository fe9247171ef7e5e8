using System.Collections.Concurrent;
using BusRuntime.Contracts;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using MassTransit;

namespace BusRuntime.IntegrationTests.Contracts;

/// <summary>A .NET service following a state store's committed writes through StateChanged events on RabbitMQ.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class StateChangedTests(RabbitMqFixture broker)
{
    [Fact]
    public async Task SaveAndDelete_StorePublishesChanges_ServiceConsumerReceivesEachCommittedWrite()
    {
        await using var entities = broker.Track();
        var serviceQueue = RabbitMqFixture.Unique("state-audit");
        entities.Queue(serviceQueue);
        var received = new ConcurrentQueue<StateChanged>();
        await using var service = await ServiceBus.StartAsync(bus => bus.ReceiveEndpoint(serviceQueue, endpoint =>
        {
            // One at a time, so the service sees the events in the order the broker holds them.
            endpoint.PrefetchCount = 1;
            endpoint.ConcurrentMessageLimit = 1;
            endpoint.Handler<StateChanged>(context =>
            {
                received.Enqueue(context.Message);
                return Task.CompletedTask;
            });
        }));
        var appId = RabbitMqFixture.Unique("carts");
        await using var sidecar = await TestSidecar.StartAsync(appId, RabbitMqFixture.Settings(new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "statestore",
            ["BusRuntime:Components:0:Type"] = "state.in-memory",
            ["BusRuntime:Components:0:Metadata:publishChanges"] = "true",
        }));
        await sidecar.WaitUntilReadyAsync();

        await sidecar.Runtime.SaveStateAsync(new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = "cart-1", Value = ByteString.CopyFromUtf8("[]") } } });
        var etag = (await sidecar.Runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = "cart-1" })).Etag;
        await sidecar.Runtime.DeleteStateAsync(new DeleteStateRequest { StoreName = "statestore", Key = "cart-1" });

        await Poll.UntilAsync(() => received.Count >= 2, TimeSpan.FromSeconds(10), () => $"{received.Count} StateChanged events arrived");
        var events = received.ToArray();
        Assert.Equal([StateChanged.Upsert, StateChanged.Delete], events.Select(change => change.Operation));
        Assert.All(events, change => Assert.Equal((appId, "statestore", "cart-1"), (change.AppId, change.StoreName, change.Key)));
        Assert.Equal(etag, events[0].ETag);
        Assert.Null(events[0].Value);
    }
}
