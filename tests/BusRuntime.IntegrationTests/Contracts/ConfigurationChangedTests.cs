using System.Collections.Concurrent;
using BusRuntime.Contracts;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using MassTransit;

namespace BusRuntime.IntegrationTests.Contracts;

/// <summary>A .NET service following configuration changes through ConfigurationChanged events on RabbitMQ, with no sidecar of its own.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class ConfigurationChangedTests(RabbitMqFixture broker)
{
    [Fact]
    public async Task SaveAndDeleteConfiguration_ServiceConsumerReceivesEachCommittedChangeWithItsVersion()
    {
        await using var entities = broker.Track();
        var serviceQueue = RabbitMqFixture.Unique("config-audit");
        entities.Queue(serviceQueue);
        var app = RabbitMqFixture.Unique("shop");
        var received = new ConcurrentQueue<ConfigurationChanged>();
        await using var service = await ServiceBus.StartAsync(bus => bus.ReceiveEndpoint(serviceQueue, endpoint => endpoint.Handler<ConfigurationChanged>(context =>
        {
            if (context.Message.AppId == app)
            {
                received.Enqueue(context.Message);
            }

            return Task.CompletedTask;
        })));
        await using var sidecar = await TestSidecar.StartAsync(app, RabbitMqFixture.Settings());
        await sidecar.WaitUntilReadyAsync();

        await sidecar.Runtime.SaveConfigurationAsync(new SaveConfigurationRequest
        {
            StoreName = "configstore",
            AppId = app,
            Items = { new ConfigurationItem { Key = "timeout", Content = "30s", Group = "payments", Tags = { ["env"] = "prod" } } },
        });
        await sidecar.Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = "configstore", AppId = app, Group = "payments", Keys = { "timeout" } });

        await Poll.UntilAsync(() => received.Count >= 2, TimeSpan.FromSeconds(10), () => $"{received.Count} ConfigurationChanged events arrived");
        var (saved, deleted) = (received.ElementAt(0), received.ElementAt(1));
        Assert.Equal(("configstore", "payments", "default", "timeout", "30s", false), (saved.StoreName, saved.Group, saved.Label, saved.Key, saved.Content, saved.Deleted));
        Assert.Equal("prod", saved.Tags["env"]);
        Assert.True(deleted.Deleted);
        Assert.Null(deleted.Content);
        Assert.True(deleted.Version > saved.Version);
    }
}
