using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Stores;
using BusRuntime.Protos.V1;
using BusRuntime.Sidecar.Tests.Dapr;
using BusRuntime.Testing;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using AppItem = BusRuntime.Core.AppConfiguration.ConfigurationItem;
using ConfigurationItem = BusRuntime.Protos.V1.ConfigurationItem;
using DaprGetConfigurationRequest = BusRuntime.Protos.Dapr.Runtime.V1.GetConfigurationRequest;

namespace BusRuntime.Sidecar.Tests.Security;

/// <summary>
/// The sidecar of app "billing" acts for billing: it writes billing's configuration only, and reads app "shop"'s
/// from "configstore", whose readScopes grant billing shop's items, but not from "private", which grants nothing.
/// Shop's items are put in the stores as shop's sidecar would put them in a store both share.
/// </summary>
public sealed class ConfigurationAcrossAppsTests : IAsyncLifetime
{
    private const string Granted = "configstore";
    private const string Private = "private";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private TestSidecar? sidecar;

    private TestSidecar Billing => sidecar!;

    public async Task InitializeAsync()
    {
        sidecar = await TestSidecar.StartAsync("billing", new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = Granted,
            ["BusRuntime:Components:0:Type"] = "configuration.in-memory",
            ["BusRuntime:Components:0:Metadata:readScopes"] = "billing=shop;audit=*",
            ["BusRuntime:Components:1:Name"] = Private,
            ["BusRuntime:Components:1:Type"] = "configuration.in-memory",
        });
        foreach (var store in new[] { Granted, Private })
        {
            await StoreOf(store).SaveAsync("shop", [new AppItem("timeout", "shop's", "default", "default", new Dictionary<string, string>(), new Dictionary<string, string>())], CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await sidecar!.DisposeAsync();

    [Theory]
    [InlineData(Granted)]
    [InlineData(Private)]
    public async Task SaveConfiguration_AnotherAppsId_IsPermissionDeniedAndItsItemStays(string store)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Billing.Runtime.SaveConfigurationAsync(new SaveConfigurationRequest
        {
            StoreName = store,
            AppId = "shop",
            Items = { new ConfigurationItem { Key = "timeout", Content = "planted by billing" }, new ConfigurationItem { Key = "new", Content = "planted" } },
        }));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("app_id 'shop' is another app's: the sidecar of app 'billing' writes only its own configuration (leave app_id empty, or set it to 'billing').", error.Status.Detail);
        Assert.Equal(["timeout=shop's"], await ShopsItemsAsync(store));
    }

    [Theory]
    [InlineData(Granted)]
    [InlineData(Private)]
    public async Task DeleteConfiguration_AnotherAppsId_IsPermissionDeniedAndItsItemStays(string store)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Billing.Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = store, AppId = "shop", Keys = { "timeout" } }));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("app_id 'shop' is another app's", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["timeout=shop's"], await ShopsItemsAsync(store));
    }

    [Fact]
    public async Task GetConfiguration_AnotherAppWhereTheStoreGrantsNothing_IsPermissionDeniedNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Billing.Runtime.GetConfigurationAsync(new GetConfigurationRequest { StoreName = Private, AppId = "shop" }));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(
            "app_id 'shop' is another app's: the sidecar of app 'billing' reads another app's configuration only where its store grants it, and configuration store 'private' does not "
            + "(BusRuntime:Components[private]:Metadata:readScopes, e.g. 'billing=shop').",
            error.Status.Detail);
    }

    [Fact]
    public async Task GetConfiguration_AnotherAppTheStoreDoesNotGrantThisOne_IsPermissionDenied()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Billing.Runtime.GetConfigurationAsync(new GetConfigurationRequest { StoreName = Granted, AppId = "orders" }));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("configuration store 'configstore' does not", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetConfiguration_AnotherAppTheStoreGrants_ReadsItsItems()
    {
        var items = (await Billing.Runtime.GetConfigurationAsync(new GetConfigurationRequest { StoreName = Granted, AppId = "shop" })).Items;

        Assert.Equal("shop's", Assert.Single(items).Content);
    }

    [Fact]
    public async Task SubscribeConfiguration_AnotherAppWhereTheStoreGrantsNothing_IsPermissionDenied()
    {
        using var call = Billing.Runtime.SubscribeConfiguration();
        await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = Private, AppId = "shop" });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("configuration store 'private' does not", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribeConfiguration_AnotherAppTheStoreGrants_FollowsItsItems()
    {
        using var call = Billing.Runtime.SubscribeConfiguration();
        await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = Granted, AppId = "shop" });
        using var timeout = new CancellationTokenSource(Wait);

        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));

        Assert.Equal("shop", call.ResponseStream.Current.AppId);
        Assert.Equal("shop's", Assert.Single(call.ResponseStream.Current.Items).Content);
    }

    [Fact]
    public async Task DaprGetConfiguration_SameKeyInBothApps_IsTheSidecarsOwnAppsItem()
    {
        await Billing.Runtime.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = Granted, Items = { new ConfigurationItem { Key = "timeout", Content = "billing's" } } });
        var (channel, dapr) = DaprSidecar.ClientFor(Billing);
        using (channel)
        {
            var items = (await dapr.GetConfigurationAsync(new DaprGetConfigurationRequest { StoreName = Granted, Keys = { "timeout" } })).Items;

            Assert.Equal("billing's", items["timeout"].Value);
        }
    }

    private IConfigurationStore StoreOf(string name) =>
        Billing.Services.GetRequiredService<NamedStores<IConfigurationStore>>().Get(name).Store;

    private async Task<string[]> ShopsItemsAsync(string store) =>
        [.. (await StoreOf(store).GetAsync("shop", "default", "default", [], false, CancellationToken.None)).Select(item => $"{item.Key}={item.Content}")];
}
