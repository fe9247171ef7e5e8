using BusRuntime.Protos.V1;
using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests.AppConfiguration;

/// <summary>
/// Three sidecars of one app on the real RabbitMQ sharing "configstore" on the real PostgreSQL: a change saved
/// through one reaches the subscribers on the others as a ConfigurationChanged event, in version order per key.
/// (An app writes only its own configuration; other apps' sidecars follow it where readScopes grants it, see
/// Security/AppIsolationTests.)
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class ConfigurationPropagationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SaveAndDeleteConfiguration_OnOneSidecar_SubscribersOnTheOtherTwoReceiveEachChange()
    {
        var settings = Settings();
        var app = RabbitMqFixture.Unique("shop");
        await using var writer = await TestSidecar.StartAsync(app, settings);
        await using var left = await TestSidecar.StartAsync(app, settings);
        await using var right = await TestSidecar.StartAsync(app, settings);
        await using var onLeft = await ConfigurationSubscriber.OpenAsync(left, app);
        await using var onRight = await ConfigurationSubscriber.OpenAsync(right, app, "timeout");

        await SaveAsync(writer, app, ("timeout", "30s"), ("retries", "3"));
        var saved = await GetAsync(writer, app);
        await Task.WhenAll(
            onLeft.WaitForVersionAsync("timeout", saved["timeout"].Version, Wait),
            onLeft.WaitForVersionAsync("retries", saved["retries"].Version, Wait),
            onRight.WaitForVersionAsync("timeout", saved["timeout"].Version, Wait));
        await writer.Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = "configstore", AppId = app, Keys = { "timeout" } });
        await Poll.UntilAsync(() => onLeft.Latest("timeout")!.Deleted && onRight.Latest("timeout")!.Deleted, Wait, () => "the delete did not reach both subscribers");

        Assert.Empty(onLeft.Initial);
        Assert.Equal("30s", onRight.Changes.First(item => item.Key == "timeout").Content);
        Assert.Equal("3", onLeft.Latest("retries")!.Content);
        Assert.DoesNotContain(onRight.Changes, item => item.Key == "retries");
        Assert.All([onLeft.Latest("timeout")!, onRight.Latest("timeout")!], deleted => Assert.True(deleted.Version > saved["timeout"].Version));
    }

    [Fact]
    public async Task SaveConfiguration_ConcurrentWritersOnThreeSidecars_EverySubscriberSeesIncreasingVersionsEndingWithTheStoredValue()
    {
        const int WritersPerSidecar = 4;
        const int Saves = 15;
        var settings = Settings();
        var sidecars = new List<TestSidecar>();
        var subscribers = new List<ConfigurationSubscriber>();
        var app = RabbitMqFixture.Unique("shop");
        try
        {
            for (var index = 0; index < 3; index++)
            {
                sidecars.Add(await TestSidecar.StartAsync(app, settings));
                subscribers.Add(await ConfigurationSubscriber.OpenAsync(sidecars[index], app, "limit"));
            }

            await Task.WhenAll(sidecars.SelectMany((sidecar, index) => Enumerable.Range(0, WritersPerSidecar).Select(writer => Task.Run(async () =>
            {
                for (var save = 0; save < Saves; save++)
                {
                    await SaveAsync(sidecar, app, ("limit", $"{index}-{writer}-{save}"));
                }
            }))));

            var stored = (await GetAsync(sidecars[0], app))["limit"];
            await Task.WhenAll(subscribers.Select(subscriber => subscriber.WaitForVersionAsync("limit", stored.Version, Wait)));
            foreach (var subscriber in subscribers)
            {
                var versions = subscriber.Changes.Select(item => item.Version).ToList();
                Assert.Equal(versions.Order(), versions);
                Assert.Equal(versions.Count, versions.Distinct().Count());
                Assert.Equal((stored.Version, stored.Content), (subscriber.Latest("limit")!.Version, subscriber.Latest("limit")!.Content));
            }
        }
        finally
        {
            foreach (var subscriber in subscribers)
            {
                await subscriber.DisposeAsync();
            }

            foreach (var sidecar in sidecars)
            {
                await sidecar.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task SubscribeConfiguration_SidecarRestartedWhileItemsChanged_FirstResponseAfterTheRestartHasTheFinalValues()
    {
        var settings = Settings();
        var app = RabbitMqFixture.Unique("shop");
        var restartedId = app;
        await using var writer = await TestSidecar.StartAsync(app, settings);
        await using var steady = await TestSidecar.StartAsync(app, settings);
        await using var onSteady = await ConfigurationSubscriber.OpenAsync(steady, app);
        await SaveAsync(writer, app, ("timeout", "30s"), ("retries", "3"));
        await using (var restarted = await TestSidecar.StartAsync(restartedId, settings))
        await using (var before = await ConfigurationSubscriber.OpenAsync(restarted, app))
        {
            Assert.Equal(["retries", "timeout"], before.Initial.Select(item => item.Key));
        }

        await SaveAsync(writer, app, ("timeout", "10s"), ("region", "eu"));
        await writer.Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = "configstore", AppId = app, Keys = { "retries" } });
        await using var again = await TestSidecar.StartAsync(restartedId, settings);
        await using var after = await ConfigurationSubscriber.OpenAsync(again, app);

        var final = await GetAsync(writer, app);
        Assert.Equal(["region", "timeout"], after.Initial.Select(item => item.Key));
        Assert.Equal([final["region"].Version, final["timeout"].Version], after.Initial.Select(item => item.Version));
        Assert.Equal("10s", after.Initial[1].Content);
        await onSteady.WaitForVersionAsync("timeout", final["timeout"].Version, Wait);
        await Poll.UntilAsync(() => onSteady.Latest("retries") is { Deleted: true } && onSteady.Latest("region") is not null, Wait, () => "the steady subscriber missed a change");
    }

    [Fact]
    public async Task SaveConfiguration_StoresInEachSidecarsMemory_ChangesStayWithTheirOwnSidecar()
    {
        var settings = RabbitMqFixture.Settings();
        var app = RabbitMqFixture.Unique("shop");
        await using var first = await TestSidecar.StartAsync(app, settings);
        await using var second = await TestSidecar.StartAsync(app, settings);
        await using var onSecond = await ConfigurationSubscriber.OpenAsync(second, app);

        await SaveAsync(first, app, ("timeout", "first's"));
        await SaveAsync(second, app, ("timeout", "second's"));

        await Poll.UntilAsync(() => !onSecond.Changes.IsEmpty, Wait, () => "the second sidecar's own change did not arrive");
        Assert.Equal("second's", onSecond.Changes.First().Content);
    }

    private Dictionary<string, string?> Settings() => postgres.Settings(postgres.Server.NewSchema(), more: RabbitMqFixture.Settings());

    private static async Task SaveAsync(TestSidecar sidecar, string appId, params (string Key, string Content)[] items) =>
        await sidecar.Runtime.SaveConfigurationAsync(new SaveConfigurationRequest
        {
            StoreName = "configstore",
            AppId = appId,
            Items = { items.Select(item => new ConfigurationItem { Key = item.Key, Content = item.Content }) },
        });

    private static async Task<Dictionary<string, ConfigurationItem>> GetAsync(TestSidecar sidecar, string appId) =>
        (await sidecar.Runtime.GetConfigurationAsync(new GetConfigurationRequest { StoreName = "configstore", AppId = appId }))
            .Items.ToDictionary(item => item.Key);
}
