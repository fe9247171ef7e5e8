using BusRuntime.Contracts;
using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Tests.AppConfiguration;

public sealed class ConfigurationChangeEventTests
{
    // The sidecar of the app whose configuration the tests save: an app writes only its own.
    private static readonly Dictionary<string, string?> AsBilling = new() { ["BusRuntime:AppId"] = "billing" };

    [Fact]
    public async Task SaveAsync_TwoItems_PublishesOneEventPerItemWithItsContentTagsAndStoredVersion()
    {
        await using var core = await CoreHarness.StartAsync(AsBilling);
        var configuration = core.Get<AppConfigurationManager>();

        await configuration.SaveAsync("configstore", "billing", [Item("timeout", "30s", tags: new() { ["env"] = "prod" }), Item("retries", "3", group: "payments")], CancellationToken.None);

        var events = await PublishedAsync(core);
        Assert.Equal(2, events.Count);
        var timeout = events.Single(change => change.Key == "timeout");
        var retries = events.Single(change => change.Key == "retries");
        Assert.Equal(("configstore", "billing", "default", "default", "30s", false), (timeout.StoreName, timeout.AppId, timeout.Group, timeout.Label, timeout.Content, timeout.Deleted));
        Assert.Equal("prod", timeout.Tags["env"]);
        Assert.Equal("payments", retries.Group);
        var stored = await configuration.GetAsync("configstore", "billing", "", "", ["timeout"], new Dictionary<string, string>(), CancellationToken.None);
        Assert.Equal(Assert.Single(stored).Version, timeout.Version);
    }

    [Fact]
    public async Task DeleteAsync_ExistingAndMissingKeys_PublishesADeleteForTheExistingOneOnly()
    {
        await using var core = await CoreHarness.StartAsync(AsBilling);
        var configuration = core.Get<AppConfigurationManager>();
        await configuration.SaveAsync("configstore", "billing", [Item("timeout", "30s")], CancellationToken.None);

        await configuration.DeleteAsync("configstore", "billing", "", "", ["timeout", "missing"], CancellationToken.None);

        var deleted = Assert.Single(await PublishedAsync(core), change => change.Deleted);
        Assert.Equal("timeout", deleted.Key);
        Assert.Null(deleted.Content);
        Assert.Empty(deleted.Tags);
    }

    [Fact]
    public async Task SaveAsync_OneItemInvalid_SavesAndPublishesNothing()
    {
        await using var core = await CoreHarness.StartAsync(AsBilling);
        var configuration = core.Get<AppConfigurationManager>();

        var error = await Assert.ThrowsAsync<RuntimeException>(() =>
            configuration.SaveAsync("configstore", "billing", [Item("fine", "1"), Item("bad", "x", group: "a\nb")], CancellationToken.None));

        Assert.Equal("items[1].group contains a control character; use printable text.", error.Message);
        Assert.False(await core.Harness.Published.Any<ConfigurationChanged>());
        Assert.Empty(await configuration.GetAsync("configstore", "billing", "", "", [], new Dictionary<string, string>(), CancellationToken.None));
    }

    private static ConfigurationItem Item(string key, string content, string group = "", Dictionary<string, string>? tags = null) =>
        new(key, content, group, "", tags ?? [], new Dictionary<string, string>());

    private static async Task<List<ConfigurationChanged>> PublishedAsync(CoreHarness core)
    {
        var events = new List<ConfigurationChanged>();
        await foreach (var published in core.Harness.Published.SelectAsync<ConfigurationChanged>())
        {
            events.Add(published.Context.Message);
        }

        return events;
    }
}
