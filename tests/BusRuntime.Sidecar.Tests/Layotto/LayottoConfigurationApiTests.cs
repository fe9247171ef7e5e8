using BusRuntime.Grpc.AppConfiguration;
using BusRuntime.Protos.Layotto.Runtime.V1;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Layotto;

/// <summary>
/// Layotto's configuration rpcs against the embedded default "configstore": an empty app_id is the sidecar's own app,
/// empty content deletes, and one SubscribeConfiguration stream carries several requests. Each test keeps to a group of its own.
/// </summary>
public sealed class LayottoConfigurationApiTests(LayottoSidecar fixture) : IClassFixture<LayottoSidecar>
{
    private const string Store = "configstore";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private Runtime.RuntimeClient Layotto => fixture.Client;

    [Fact]
    public async Task SaveThenGetConfiguration_EmptyAppId_TheSidecarsOwnItemsUnderTheDefaultLabel()
    {
        var group = LayottoSidecar.Key("g");

        await Layotto.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = Store, Items = { Item("timeout", "30s", group, ("env", "prod")) } });
        var unnamed = await Layotto.GetConfigurationAsync(new GetConfigurationRequest { StoreName = Store, Group = group, SubscribeUpdate = true });
        var named = await Layotto.GetConfigurationAsync(new GetConfigurationRequest { StoreName = Store, AppId = LayottoSidecar.AppId, Group = group, Keys = { "timeout" } });

        var item = Assert.Single(unnamed.Items);
        Assert.Equal(("timeout", "30s", group, "default"), (item.Key, item.Content, item.Group, item.Label));
        Assert.Equal("prod", item.Tags["env"]);
        Assert.Equal("30s", Assert.Single(named.Items).Content);
    }

    [Fact]
    public async Task SaveConfiguration_EmptyContent_DeletesTheItemAndSavesTheOthers()
    {
        var group = LayottoSidecar.Key("g");
        await Layotto.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = Store, Items = { Item("a", "1", group), Item("b", "2", group) } });

        await Layotto.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = Store, Items = { Item("a", "", group), Item("c", "3", group) } });
        var items = (await Layotto.GetConfigurationAsync(new GetConfigurationRequest { StoreName = Store, Group = group })).Items;

        Assert.Equal([("b", "2"), ("c", "3")], items.Select(item => (item.Key, item.Content)).OrderBy(pair => pair.Key));
    }

    [Fact]
    public async Task DeleteConfiguration_OneKey_OnlyThatKeyGone()
    {
        var group = LayottoSidecar.Key("g");
        await Layotto.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = Store, Items = { Item("a", "1", group), Item("b", "2", group) } });

        await Layotto.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = Store, Group = group, Keys = { "a" } });

        Assert.Equal("b", Assert.Single((await Layotto.GetConfigurationAsync(new GetConfigurationRequest { StoreName = Store, Group = group })).Items).Key);
    }

    [Fact]
    public async Task SaveConfiguration_AnotherAppsId_PermissionDenied()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Layotto.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = Store, AppId = "billing", Items = { Item("a", "1", "g") } }));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("billing", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribeConfiguration_TwoRequestsOnOneStream_BothGroupsCurrentItemsThenChangesAndDeletesAsEmptyContent()
    {
        var first = LayottoSidecar.Key("g1");
        var second = LayottoSidecar.Key("g2");
        await Layotto.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = Store, Items = { Item("a", "1", first), Item("b", "2", second) } });
        using var timeout = new CancellationTokenSource(Wait);
        using var call = Layotto.SubscribeConfiguration(cancellationToken: timeout.Token);

        await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = Store, Group = first });
        var initialFirst = await NextAsync(call, timeout.Token);
        await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = Store, Group = second });
        var initialSecond = await NextAsync(call, timeout.Token);
        await Layotto.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = Store, Items = { Item("b", "22", second) } });
        var changed = await NextAsync(call, timeout.Token);
        await Layotto.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = Store, Items = { Item("a", "", first) } });
        var deleted = await NextAsync(call, timeout.Token);

        Assert.Equal((Store, LayottoSidecar.AppId), (initialFirst.StoreName, initialFirst.AppId));
        Assert.Equal(("a", "1"), Only(initialFirst));
        Assert.Equal(("b", "2"), Only(initialSecond));
        Assert.Equal(("b", "22"), Only(changed));
        Assert.Equal(("a", ""), Only(deleted));
        Assert.Equal(first, Assert.Single(deleted.Items).Group);
    }

    [Fact]
    public async Task SubscribeConfiguration_MoreRequestsThanTheLimit_InvalidArgumentNamingIt()
    {
        using var timeout = new CancellationTokenSource(Wait);
        using var call = Layotto.SubscribeConfiguration(cancellationToken: timeout.Token);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            for (var request = 0; request <= ConfigurationRpcs.MaxLayottoSubscriptionsPerStream; request++)
            {
                await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = Store, Group = LayottoSidecar.Key("many") });
            }

            while (await call.ResponseStream.MoveNext(timeout.Token))
            {
            }
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"at most {ConfigurationRpcs.MaxLayottoSubscriptionsPerStream} requests", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribeConfiguration_NoRequestBeforeTheClientFinished_EndsOk()
    {
        using var timeout = new CancellationTokenSource(Wait);
        using var call = Layotto.SubscribeConfiguration(cancellationToken: timeout.Token);

        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task SubscribeConfiguration_UnknownStore_InvalidArgument()
    {
        using var timeout = new CancellationTokenSource(Wait);
        using var call = Layotto.SubscribeConfiguration(cancellationToken: timeout.Token);
        await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = "apollo", Group = "g" });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext(timeout.Token));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("apollo", error.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task<SubscribeConfigurationResponse> NextAsync(AsyncDuplexStreamingCall<SubscribeConfigurationRequest, SubscribeConfigurationResponse> call, CancellationToken cancellationToken)
    {
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken));
        return call.ResponseStream.Current;
    }

    private static (string Key, string Content) Only(SubscribeConfigurationResponse response)
    {
        var item = Assert.Single(response.Items);
        return (item.Key, item.Content);
    }

    private static ConfigurationItem Item(string key, string content, string group, params (string Name, string Value)[] tags)
    {
        var item = new ConfigurationItem { Key = key, Content = content, Group = group };
        foreach (var (name, value) in tags)
        {
            item.Tags[name] = value;
        }

        return item;
    }
}
