using ConfigurationSubscriptions = BusRuntime.Core.AppConfiguration.ConfigurationSubscriptions;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Sidecar.Tests.AppConfiguration;

/// <summary>busruntime.v1 configuration calls against the embedded default store "configstore" (in memory, on the in-memory bus).</summary>
public sealed class ConfigurationApiTests(EmbeddedSidecar embedded) : IClassFixture<EmbeddedSidecar>
{
    private const string Store = "configstore";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private Runtime.RuntimeClient Runtime => embedded.Sidecar.Runtime;

    [Fact]
    public async Task SaveConfiguration_ThenGetConfigurationOfAllKeys_ReturnsEveryItemInKeyOrderUnderTheDefaultGroupAndLabel()
    {
        var app = AppId();

        await SaveAsync(app, Item("timeout", "30s", ("env", "prod")), Item("retries", "3"));
        var items = await GetAsync(app);

        Assert.Equal(["retries", "timeout"], items.Select(item => item.Key));
        Assert.Equal(["3", "30s"], items.Select(item => item.Content));
        Assert.All(items, item => Assert.Equal(("default", "default"), (item.Group, item.Label)));
        Assert.Equal("prod", items[1].Tags["env"]);
        Assert.All(items, item => Assert.True(item.Version > 0));
        Assert.All(items, item => Assert.False(item.Deleted));
    }

    [Fact]
    public async Task SaveConfiguration_SameKeyAgain_ReplacesTheItemWithAGreaterVersion()
    {
        var app = AppId();
        await SaveAsync(app, Item("timeout", "30s", ("env", "prod")));
        var first = Assert.Single(await GetAsync(app));

        await SaveAsync(app, Item("timeout", "10s"));

        var second = Assert.Single(await GetAsync(app));
        Assert.Equal("10s", second.Content);
        Assert.Empty(second.Tags);
        Assert.True(second.Version > first.Version, $"version {second.Version} after {first.Version}");
    }

    [Fact]
    public async Task GetConfiguration_KeysNamed_ReturnsOnlyThoseThatExist()
    {
        var app = AppId();
        await SaveAsync(app, Item("a", "1"), Item("b", "2"), Item("c", "3"));

        var items = await GetAsync(app, keys: ["c", "missing", "a"]);

        Assert.Equal(["a", "c"], items.Select(item => item.Key));
    }

    [Fact]
    public async Task GetConfiguration_TagFilter_ReturnsTheItemsWhoseTagsIncludeEveryPair()
    {
        var app = AppId();
        await SaveAsync(app, Item("a", "1", ("env", "prod"), ("zone", "eu")), Item("b", "2", ("env", "prod")), Item("c", "3", ("env", "test"), ("zone", "eu")));

        var prodInEu = await GetAsync(app, tags: [("env", "prod"), ("zone", "eu")]);
        var prod = await GetAsync(app, tags: [("env", "prod")]);

        Assert.Equal(["a"], prodInEu.Select(item => item.Key));
        Assert.Equal(["a", "b"], prod.Select(item => item.Key));
    }

    [Fact]
    public async Task SaveConfiguration_GroupsAndLabels_KeepTheSameKeyApart()
    {
        var app = AppId();
        await SaveAsync(app, Item("url", "default"), Item("url", "blue", group: "payments"), Item("url", "green", group: "payments", label: "canary"));

        Assert.Equal("default", Assert.Single(await GetAsync(app)).Content);
        Assert.Equal("blue", Assert.Single(await GetAsync(app, group: "payments")).Content);
        Assert.Equal("green", Assert.Single(await GetAsync(app, group: "payments", label: "canary")).Content);
        Assert.Empty(await GetAsync(AppId()));
    }

    [Fact]
    public async Task DeleteConfiguration_NamedKeys_DeletesThemAndAMissingKeyIsNoError()
    {
        var app = AppId();
        await SaveAsync(app, Item("a", "1"), Item("b", "2"));

        await Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = Store, AppId = app, Keys = { "a", "missing" } });

        Assert.Equal(["b"], (await GetAsync(app)).Select(item => item.Key));
    }

    [Fact]
    public async Task SubscribeConfiguration_AllKeys_FirstResponseIsTheCurrentItemsThenEachChangeAndDeleteArrives()
    {
        var app = AppId();
        await SaveAsync(app, Item("timeout", "30s"));
        using var call = await SubscribeAsync(app);

        var initial = await NextAsync(call);
        await SaveAsync(app, Item("timeout", "10s"));
        var changed = await NextAsync(call);
        await SaveAsync(app, Item("retries", "3"));
        var added = await NextAsync(call);
        await Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = Store, AppId = app, Keys = { "timeout" } });
        var deleted = await NextAsync(call);

        Assert.Equal((Store, app), (initial.StoreName, initial.AppId));
        var current = Assert.Single(initial.Items);
        Assert.Equal(("timeout", "30s"), (current.Key, current.Content));
        Assert.Equal(("timeout", "10s", false), Single(changed));
        Assert.True(changed.Items[0].Version > current.Version);
        Assert.Equal(("retries", "3", false), Single(added));
        Assert.Equal(("timeout", "", true), Single(deleted));
        Assert.True(deleted.Items[0].Version > changed.Items[0].Version);
    }

    [Fact]
    public async Task SubscribeConfiguration_NoItemsYet_FirstResponseIsEmpty()
    {
        using var call = await SubscribeAsync(AppId());

        var initial = await NextAsync(call);

        Assert.Empty(initial.Items);
    }

    [Fact]
    public async Task SubscribeConfiguration_KeysNamed_OnlyChangesOfThoseKeysInItsAppGroupAndLabelArrive()
    {
        var app = AppId();
        using var call = await SubscribeAsync(app, keys: ["watched"]);
        await NextAsync(call);

        await SaveAsync(app, Item("other", "x"));
        await SaveAsync(AppId(), Item("watched", "other app"));
        await SaveAsync(app, Item("watched", "other group", group: "payments"));
        await SaveAsync(app, Item("watched", "mine"));

        Assert.Equal(("watched", "mine", false), Single(await NextAsync(call)));
    }

    [Fact]
    public async Task SubscribeConfiguration_ItemDeletedBeforeTheStreamSawIt_NoDeleteArrives()
    {
        var app = AppId();
        using var call = await SubscribeAsync(app);
        await NextAsync(call);
        await SaveAsync(app, Item("a", "1"));
        Assert.Equal(("a", "1", false), Single(await NextAsync(call)));

        await Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = Store, AppId = app, Keys = { "a" } });
        await Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = Store, AppId = app, Keys = { "a" } });
        await SaveAsync(app, Item("b", "2"));

        Assert.Equal(("a", "", true), Single(await NextAsync(call)));
        Assert.Equal(("b", "2", false), Single(await NextAsync(call)));
    }

    [Fact]
    public async Task SubscribeConfiguration_ThousandStreamsOpenedAndClosed_LeaveNoSubscriberBehind()
    {
        var subscriptions = embedded.Sidecar.Services.GetRequiredService<ConfigurationSubscriptions>();
        var app = AppId();
        int whileOpen;
        using (var open = await SubscribeAsync(app))
        {
            await NextAsync(open);
            whileOpen = subscriptions.Count;
        }

        for (var cycle = 0; cycle < 1000; cycle++)
        {
            using var call = await SubscribeAsync(app, keys: [$"key-{cycle % 10}"]);
            await NextAsync(call);
        }

        await Poll.UntilAsync(() => subscriptions.Count == 0, Wait, () => $"{subscriptions.Count} configuration subscribers are still registered");
        Assert.Equal(1, whileOpen);
    }

    public static TheoryData<string, string, string, string, StatusCode, string> BadSaves => new()
    {
        { "", "app", "k", "v", StatusCode.InvalidArgument, "store_name is empty; name a configuration store: configstore." },
        { "config-db", "app", "k", "v", StatusCode.NotFound, "store_name 'config-db' is not a configured configuration store; configured: configstore." },
        { Store, "", "k", "v", StatusCode.InvalidArgument, "app_id is empty; name the app whose configuration this is." },
        { Store, "my.app", "k", "v", StatusCode.InvalidArgument, "app_id 'my.app' must match ^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$ (letters, digits, '-' and '_', at most 48 characters)." },
        { Store, "app", "", "v", StatusCode.InvalidArgument, "items[0].key is empty; name the key." },
        { Store, "app", "k", new string('x', 1025), StatusCode.InvalidArgument, "items[0].content is 1025 bytes, over the maximum of 1024 bytes (BusRuntime:MaxPayloadBytes)." },
        { Store, "app", "k", "a\0b", StatusCode.InvalidArgument, "items[0].content contains the character U+0000, which a configuration store cannot keep." },
    };

    [Theory]
    [MemberData(nameof(BadSaves))]
    public async Task SaveConfiguration_BadInput_ReturnsPreciseStatusAndSavesNothing(string storeName, string appId, string key, string content, StatusCode code, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Runtime.SaveConfigurationAsync(new SaveConfigurationRequest
        {
            StoreName = storeName,
            AppId = appId,
            Items = { new ConfigurationItem { Key = key, Content = content }, new ConfigurationItem { Key = "fine", Content = "v" } },
        }));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
        if (code == StatusCode.InvalidArgument && appId == "app")
        {
            Assert.Empty(await GetAsync("app", keys: ["fine"]));
        }
    }

    [Fact]
    public async Task SaveConfiguration_ContentOfExactlyTheMaximum_IsSaved()
    {
        var app = AppId();

        await SaveAsync(app, Item("big", new string('x', 1024)));

        Assert.Equal(1024, Assert.Single(await GetAsync(app)).Content.Length);
    }

    [Fact]
    public async Task GetConfiguration_EmptyKeyAmongKeys_ReturnsInvalidArgumentNamingItsIndex()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await GetAsync(AppId(), keys: ["a", ""]));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("keys[1] is empty; name the key.", error.Status.Detail);
    }

    [Fact]
    public async Task DeleteConfiguration_NoKeys_ReturnsInvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = Store, AppId = AppId() }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("keys is empty; name the keys to delete.", error.Status.Detail);
    }

    public static TheoryData<string, string, StatusCode, string> BadSubscriptions => new()
    {
        { "config-db", "app", StatusCode.NotFound, "store_name 'config-db' is not a configured configuration store; configured: configstore." },
        { Store, "", StatusCode.InvalidArgument, "app_id is empty; name the app whose configuration this is." },
    };

    [Theory]
    [MemberData(nameof(BadSubscriptions))]
    public async Task SubscribeConfiguration_BadFirstMessage_FailsWithPreciseStatus(string storeName, string appId, StatusCode code, string message)
    {
        using var call = Runtime.SubscribeConfiguration();
        await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = storeName, AppId = appId });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
    }

    [Fact]
    public async Task SubscribeConfiguration_SecondRequestOnTheStream_FailsWithInvalidArgument()
    {
        using var call = await SubscribeAsync(AppId());
        await NextAsync(call);

        await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = Store, AppId = AppId() });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("SubscribeConfiguration takes one request per stream; open another stream to follow other items.", error.Status.Detail);
    }

    [Fact]
    public async Task SubscribeConfiguration_ClientCompletesItsSide_ChangesKeepArriving()
    {
        var app = AppId();
        using var call = await SubscribeAsync(app);
        await NextAsync(call);

        await call.RequestStream.CompleteAsync();
        await SaveAsync(app, Item("a", "1"));

        Assert.Equal(("a", "1", false), Single(await NextAsync(call)));
    }

    private static string AppId() => EmbeddedSidecar.Key("cfg");

    private static ConfigurationItem Item(string key, string content, params (string Name, string Value)[] tags) => Item(key, content, "", "", tags);

    private static ConfigurationItem Item(string key, string content, string group, string label = "", params (string Name, string Value)[] tags)
    {
        var item = new ConfigurationItem { Key = key, Content = content, Group = group, Label = label };
        foreach (var (name, value) in tags)
        {
            item.Tags[name] = value;
        }

        return item;
    }

    private static (string Key, string Content, bool Deleted) Single(SubscribeConfigurationResponse response)
    {
        var item = Assert.Single(response.Items);
        return (item.Key, item.Content, item.Deleted);
    }

    private async Task SaveAsync(string appId, params ConfigurationItem[] items) =>
        await Runtime.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = Store, AppId = appId, Items = { items } });

    private async Task<IReadOnlyList<ConfigurationItem>> GetAsync(
        string appId, string group = "", string label = "", string[]? keys = null, (string Name, string Value)[]? tags = null)
    {
        var request = new GetConfigurationRequest { StoreName = Store, AppId = appId, Group = group, Label = label, Keys = { keys ?? [] } };
        foreach (var (name, value) in tags ?? [])
        {
            request.Tags[name] = value;
        }

        return (await Runtime.GetConfigurationAsync(request)).Items;
    }

    private async Task<AsyncDuplexStreamingCall<SubscribeConfigurationRequest, SubscribeConfigurationResponse>> SubscribeAsync(string appId, string[]? keys = null)
    {
        var call = Runtime.SubscribeConfiguration();
        await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = Store, AppId = appId, Keys = { keys ?? [] } });
        return call;
    }

    private static async Task<SubscribeConfigurationResponse> NextAsync(AsyncDuplexStreamingCall<SubscribeConfigurationRequest, SubscribeConfigurationResponse> call)
    {
        using var timeout = new CancellationTokenSource(Wait);
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token), "the stream ended");
        return call.ResponseStream.Current;
    }
}
