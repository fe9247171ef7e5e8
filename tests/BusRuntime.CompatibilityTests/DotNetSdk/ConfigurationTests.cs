using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Protos.V1;
using ConfigurationItem = BusRuntime.Protos.V1.ConfigurationItem;
using BusRuntime.Testing;
using Dapr.Client;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>
/// The Dapr .NET SDK's configuration API. An operator (here the native SaveConfiguration) writes the app's
/// items; the app reads and follows them through the SDK.
/// </summary>
public sealed class ConfigurationTests : IAsyncLifetime
{
    private const string Store = "configstore";
    private const string AppId = "sdk-config";

    private TestSidecar? sidecar;
    private DaprClient? dapr;

    private TestSidecar Sidecar => sidecar!;

    private DaprClient Dapr => dapr!;

    public async Task InitializeAsync()
    {
        sidecar = await TestSidecar.StartAsync(AppId);
        dapr = SdkClients.For(sidecar);
    }

    public async Task DisposeAsync()
    {
        dapr?.Dispose();
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }
    }

    [Fact]
    public async Task GetConfiguration_KeysOfTheApp_ValuesWithVersionsAndMetadata()
    {
        await SaveAsync("timeout", "30s", metadata: new() { ["owner"] = "ops" });
        await SaveAsync("retries", "3");

        var response = await Dapr.GetConfiguration(Store, ["timeout", "retries", "missing"]);

        Assert.Equal(["retries", "timeout"], response.Items.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("30s", response.Items["timeout"].Value);
        Assert.Equal("ops", response.Items["timeout"].Metadata["owner"]);
        Assert.True(long.Parse(response.Items["retries"].Version, System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task GetConfiguration_GroupAndLabelInMetadata_ReadsThatGroupAndLabel()
    {
        await SaveAsync("limit", "10");
        await SaveAsync("limit", "99", group: "payments", label: "canary");

        var plain = await Dapr.GetConfiguration(Store, ["limit"]);
        var canary = await Dapr.GetConfiguration(Store, ["limit"], new Dictionary<string, string> { ["group"] = "payments", ["label"] = "canary" });

        Assert.Equal("10", plain.Items["limit"].Value);
        Assert.Equal("99", canary.Items["limit"].Value);
    }

    [Fact]
    public async Task SubscribeConfiguration_ItemChanges_SubscriberSeesTheChangeThenUnsubscribeEndsTheStream()
    {
        await SaveAsync("feature", "off");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var subscription = await Dapr.SubscribeConfiguration(Store, ["feature"], cancellationToken: timeout.Token);
        await using var updates = subscription.Source.GetAsyncEnumerator(timeout.Token);

        Assert.True(await updates.MoveNextAsync());
        Assert.Empty(updates.Current);
        Assert.False(string.IsNullOrEmpty(subscription.Id));
        Assert.True(await updates.MoveNextAsync());
        Assert.Equal("off", updates.Current["feature"].Value);

        await SaveAsync("feature", "on");
        Assert.True(await updates.MoveNextAsync());
        Assert.Equal("on", updates.Current["feature"].Value);

        var unsubscribed = await Dapr.UnsubscribeConfiguration(Store, subscription.Id);
        Assert.True(unsubscribed.Ok);
        Assert.False(await updates.MoveNextAsync());
    }

    [Fact]
    public async Task UnsubscribeConfiguration_UnknownId_NotOkWithAMessage()
    {
        var response = await Dapr.UnsubscribeConfiguration(Store, "no-such-subscription");

        Assert.False(response.Ok);
        Assert.Contains("no-such-subscription", response.Message, StringComparison.Ordinal);
    }

    private Task SaveAsync(string key, string content, string group = "", string label = "", Dictionary<string, string>? metadata = null)
    {
        var item = new ConfigurationItem { Key = key, Content = content, Group = group, Label = label };
        item.Metadata.Add(metadata ?? []);
        return Sidecar.Runtime.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = Store, AppId = AppId, Items = { item } }).ResponseAsync;
    }
}
