using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Protos.V1;
using Grpc.Core;
using GetConfigurationRequest = BusRuntime.Protos.Dapr.Runtime.V1.GetConfigurationRequest;
using SubscribeConfigurationRequest = BusRuntime.Protos.Dapr.Runtime.V1.SubscribeConfigurationRequest;
using WireItem = BusRuntime.Protos.V1.ConfigurationItem;

namespace BusRuntime.Sidecar.Tests.Dapr;

/// <summary>Dapr's configuration rpcs (and their Alpha1 names) mapped onto the configuration primitive, for the sidecar's own app.</summary>
public sealed class DaprConfigurationApiTests(DaprSidecar fixture) : IClassFixture<DaprSidecar>
{
    private const string Store = "configstore";

    private Protos.Dapr.Runtime.V1.Dapr.DaprClient Dapr => fixture.Client;

    [Fact]
    public async Task GetConfiguration_NoKeys_EveryItemOfTheAppsDefaultGroupWithVersionsBothNames()
    {
        var label = DaprSidecar.Key("l");
        await SaveAsync(label, ("a", "1"), ("b", "2"));
        var request = new GetConfigurationRequest { StoreName = Store, Metadata = { ["label"] = label } };

        var stable = await Dapr.GetConfigurationAsync(request);
        var alpha = await Dapr.GetConfigurationAlpha1Async(request);

        Assert.Equal(["a", "b"], stable.Items.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("2", stable.Items["b"].Value);
        Assert.True(long.Parse(stable.Items["a"].Version, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(stable.Items, alpha.Items);
    }

    [Theory]
    [InlineData("", "k", StatusCode.InvalidArgument, "store_name is empty")]
    [InlineData("apollo", "k", StatusCode.InvalidArgument, "apollo")]
    [InlineData(Store, "", StatusCode.InvalidArgument, "keys[0]")]
    public async Task GetConfiguration_BadInput_PreciseStatus(string storeName, string key, StatusCode code, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.GetConfigurationAsync(new GetConfigurationRequest { StoreName = storeName, Keys = { key } }));

        Assert.Equal(code, error.StatusCode);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribeConfiguration_IdFirstThenCurrentItemsThenChangesAndDeletes_UnsubscribeEndsWithOk()
    {
        var label = DaprSidecar.Key("l");
        await SaveAsync(label, ("flag", "off"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = Dapr.SubscribeConfiguration(new SubscribeConfigurationRequest { StoreName = Store, Keys = { "flag" }, Metadata = { ["label"] = label } }, cancellationToken: timeout.Token);

        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        var id = call.ResponseStream.Current.Id;
        Assert.Empty(call.ResponseStream.Current.Items);
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal("off", call.ResponseStream.Current.Items["flag"].Value);

        await SaveAsync(label, ("flag", "on"));
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal("on", call.ResponseStream.Current.Items["flag"].Value);
        Assert.Equal(id, call.ResponseStream.Current.Id);

        await fixture.Sidecar.Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = Store, AppId = DaprSidecar.AppId, Label = label, Keys = { "flag" } });
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal("true", call.ResponseStream.Current.Items["flag"].Metadata["deleted"]);
        Assert.Equal("", call.ResponseStream.Current.Items["flag"].Value);

        var unsubscribed = await Dapr.UnsubscribeConfigurationAlpha1Async(new UnsubscribeConfigurationRequest { StoreName = Store, Id = id });
        Assert.True(unsubscribed.Ok);
        Assert.False(await call.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task SubscribeConfigurationAlpha1_UnknownStore_InvalidArgumentAsDapr()
    {
        using var call = Dapr.SubscribeConfigurationAlpha1(new SubscribeConfigurationRequest { StoreName = "apollo" });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task UnsubscribeConfiguration_EmptyIdOrOtherStore_InvalidArgumentOrNotOk()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = Dapr.SubscribeConfiguration(new SubscribeConfigurationRequest { StoreName = Store, Keys = { "x" } }, cancellationToken: timeout.Token);
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        var id = call.ResponseStream.Current.Id;

        var empty = await Assert.ThrowsAsync<RpcException>(async () => await Dapr.UnsubscribeConfigurationAsync(new UnsubscribeConfigurationRequest { StoreName = Store }));
        var otherStore = await Dapr.UnsubscribeConfigurationAsync(new UnsubscribeConfigurationRequest { StoreName = "other", Id = id });
        var unsubscribed = await Dapr.UnsubscribeConfigurationAsync(new UnsubscribeConfigurationRequest { StoreName = Store, Id = id });
        var again = await Dapr.UnsubscribeConfigurationAsync(new UnsubscribeConfigurationRequest { StoreName = Store, Id = id });

        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
        Assert.False(otherStore.Ok);
        Assert.True(unsubscribed.Ok);
        Assert.False(again.Ok);
    }

    private Task SaveAsync(string label, params (string Key, string Content)[] items) =>
        fixture.Sidecar.Runtime.SaveConfigurationAsync(new SaveConfigurationRequest
        {
            StoreName = Store,
            AppId = DaprSidecar.AppId,
            Items = { items.Select(item => new WireItem { Key = item.Key, Content = item.Content, Label = label }) },
        }).ResponseAsync;
}
