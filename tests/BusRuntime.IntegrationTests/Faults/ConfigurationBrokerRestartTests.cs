using BusRuntime.Protos.V1;
using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests.Faults;

/// <summary>
/// Stops and restarts the real broker while configuration changes are saved: their events are lost, and
/// the sidecars read the store again once their queues consume again, so no subscriber misses a final value.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class ConfigurationBrokerRestartTests(RabbitMqFixture broker, PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SaveAndDeleteConfiguration_WhileTheBrokerIsDown_SubscribersOnOtherSidecarsGetTheFinalValuesOnceItIsBack()
    {
        var settings = postgres.Settings(
            postgres.Server.NewSchema(),
            more: RabbitMqFixture.Settings(new Dictionary<string, string?> { ["BusRuntime:PublishTimeout"] = "00:00:01" }));
        var app = RabbitMqFixture.Unique("shop");
        // Three sidecars of the app: an app writes its own configuration only.
        await using var writer = await TestSidecar.StartAsync(app, settings);
        await using var left = await TestSidecar.StartAsync(app, settings);
        await using var right = await TestSidecar.StartAsync(app, settings);
        await Task.WhenAll(writer.WaitUntilReadyAsync(), left.WaitUntilReadyAsync(), right.WaitUntilReadyAsync());
        await using var onLeft = await ConfigurationSubscriber.OpenAsync(left, app);
        await using var onRight = await ConfigurationSubscriber.OpenAsync(right, app);
        await SaveAsync(writer, app, ("timeout", "30s"), ("retries", "3"));
        var before = await GetAsync(writer, app);
        await Task.WhenAll(onLeft.WaitForVersionAsync("retries", before["retries"].Version, Wait), onRight.WaitForVersionAsync("retries", before["retries"].Version, Wait));

        try
        {
            await broker.StopBrokerAsync();
            output.WriteLine("broker stopped");
            // Committed in PostgreSQL; their events cannot be published.
            await SaveAsync(writer, app, ("timeout", "10s"), ("region", "eu"));
            await writer.Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = "configstore", AppId = app, Keys = { "retries" } });
        }
        finally
        {
            await broker.StartBrokerAsync();
            output.WriteLine("broker started again");
        }

        var final = await GetAsync(writer, app);
        foreach (var subscriber in new[] { onLeft, onRight })
        {
            await subscriber.WaitForVersionAsync("timeout", final["timeout"].Version, Wait);
            await subscriber.WaitForVersionAsync("region", final["region"].Version, Wait);
            await Poll.UntilAsync(() => subscriber.Latest("retries") is { Deleted: true }, Wait, () => "the delete of 'retries' never arrived");
            Assert.Equal(("10s", "eu"), (subscriber.Latest("timeout")!.Content, subscriber.Latest("region")!.Content));
            foreach (var key in new[] { "timeout", "retries", "region" })
            {
                var versions = subscriber.Changes.Where(item => item.Key == key).Select(item => item.Version).ToList();
                Assert.Equal(versions.Order(), versions);
            }
        }
    }

    private static async Task SaveAsync(TestSidecar sidecar, string appId, params (string Key, string Content)[] items) =>
        await sidecar.Runtime.SaveConfigurationAsync(
            new SaveConfigurationRequest { StoreName = "configstore", AppId = appId, Items = { items.Select(item => new ConfigurationItem { Key = item.Key, Content = item.Content }) } },
            deadline: DateTime.UtcNow.AddSeconds(30));

    private static async Task<Dictionary<string, ConfigurationItem>> GetAsync(TestSidecar sidecar, string appId) =>
        (await sidecar.Runtime.GetConfigurationAsync(new GetConfigurationRequest { StoreName = "configstore", AppId = appId })).Items.ToDictionary(item => item.Key);
}
