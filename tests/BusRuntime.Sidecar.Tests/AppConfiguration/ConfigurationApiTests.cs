using ConfigurationSubscriptions = BusRuntime.Core.AppConfiguration.ConfigurationSubscriptions;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Sidecar.Tests.AppConfiguration;

/// <summary>
/// busruntime.v1 configuration calls against the embedded default store "configstore" (in memory, on the in-memory bus).
/// The sidecar writes its own app's configuration only, so each test keeps to a group of its own.
/// </summary>
public sealed class ConfigurationApiTests(EmbeddedSidecar embedded) : IClassFixture<EmbeddedSidecar>
{
    private const string Store = "configstore";
    private const string App = EmbeddedSidecar.AppId;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private Runtime.RuntimeClient Runtime => embedded.Sidecar.Runtime;

    [Fact]
    public async Task SaveConfiguration_ThenGetConfigurationOfAllKeys_ReturnsEveryItemInKeyOrderUnderTheDefaultGroupAndLabel()
    {
        var label = Group();

        await Runtime.SaveConfigurationAsync(new SaveConfigurationRequest
        {
            StoreName = Store,
            AppId = App,
            Items = { Item("timeout", "30s", "", label, ("env", "prod")), Item("retries", "3", "", label) },
        });
        var items = (await Runtime.GetConfigurationAsync(new GetConfigurationRequest { StoreName = Store, AppId = App, Label = label })).Items;
        var defaultLabel = (await Runtime.GetConfigurationAsync(new GetConfigurationRequest { StoreName = Store, AppId = App, Keys = { "timeout", "retries" } })).Items;

        Assert.Equal(["retries", "timeout"], items.Select(item => item.Key));
        Assert.Equal(["3", "30s"], items.Select(item => item.Content));
        Assert.All(items, item => Assert.Equal(("default", label), (item.Group, item.Label)));
        Assert.Equal("prod", items[1].Tags["env"]);
        Assert.All(items, item => Assert.True(item.Version > 0));
        Assert.All(items, item => Assert.False(item.Deleted));
        Assert.Empty(defaultLabel);
    }

    [Fact]
    public async Task SaveConfiguration_EmptyAppId_IsTheSidecarsOwnApp()
    {
        var group = Group();

        await Runtime.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = Store, Items = { Item("timeout", "30s", group) } });
        var named = await GetAsync(group);
        var unnamed = (await Runtime.GetConfigurationAsync(new GetConfigurationRequest { StoreName = Store, Group = group })).Items;

        Assert.Equal("30s", Assert.Single(named).Content);
        Assert.Equal("30s", Assert.Single(unnamed).Content);
    }

    [Fact]
    public async Task SaveConfiguration_SameKeyAgain_ReplacesTheItemWithAGreaterVersion()
    {
        var group = Group();
        await SaveAsync(Item("timeout", "30s", group, "", ("env", "prod")));
        var first = Assert.Single(await GetAsync(group));

        await SaveAsync(Item("timeout", "10s", group));

        var second = Assert.Single(await GetAsync(group));
        Assert.Equal("10s", second.Content);
        Assert.Empty(second.Tags);
        Assert.True(second.Version > first.Version, $"version {second.Version} after {first.Version}");
    }

    [Fact]
    public async Task GetConfiguration_KeysNamed_ReturnsOnlyThoseThatExist()
    {
        var group = Group();
        await SaveAsync(Item("a", "1", group), Item("b", "2", group), Item("c", "3", group));

        var items = await GetAsync(group, keys: ["c", "missing", "a"]);

        Assert.Equal(["a", "c"], items.Select(item => item.Key));
    }

    [Fact]
    public async Task GetConfiguration_TagFilter_ReturnsTheItemsWhoseTagsIncludeEveryPair()
    {
        var group = Group();
        await SaveAsync(Item("a", "1", group, "", ("env", "prod"), ("zone", "eu")), Item("b", "2", group, "", ("env", "prod")), Item("c", "3", group, "", ("env", "test"), ("zone", "eu")));

        var prodInEu = await GetAsync(group, tags: [("env", "prod"), ("zone", "eu")]);
        var prod = await GetAsync(group, tags: [("env", "prod")]);

        Assert.Equal(["a"], prodInEu.Select(item => item.Key));
        Assert.Equal(["a", "b"], prod.Select(item => item.Key));
    }

    [Fact]
    public async Task SaveConfiguration_GroupsAndLabels_KeepTheSameKeyApart()
    {
        var (blue, green) = (Group(), Group());
        await SaveAsync(Item("url", "blue", blue), Item("url", "canary", blue, "canary"), Item("url", "green", green));

        Assert.Equal("blue", Assert.Single(await GetAsync(blue)).Content);
        Assert.Equal("canary", Assert.Single(await GetAsync(blue, label: "canary")).Content);
        Assert.Equal("green", Assert.Single(await GetAsync(green)).Content);
        Assert.Empty(await GetAsync(Group()));
    }

    [Fact]
    public async Task DeleteConfiguration_NamedKeys_DeletesThemAndAMissingKeyIsNoError()
    {
        var group = Group();
        await SaveAsync(Item("a", "1", group), Item("b", "2", group));

        await Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = Store, AppId = App, Group = group, Keys = { "a", "missing" } });

        Assert.Equal(["b"], (await GetAsync(group)).Select(item => item.Key));
    }

    [Fact]
    public async Task SubscribeConfiguration_AllKeys_FirstResponseIsTheCurrentItemsThenEachChangeAndDeleteArrives()
    {
        var group = Group();
        await SaveAsync(Item("timeout", "30s", group));
        using var call = await SubscribeAsync(group);

        var initial = await NextAsync(call);
        await SaveAsync(Item("timeout", "10s", group));
        var changed = await NextAsync(call);
        await SaveAsync(Item("retries", "3", group));
        var added = await NextAsync(call);
        await Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = Store, AppId = App, Group = group, Keys = { "timeout" } });
        var deleted = await NextAsync(call);

        Assert.Equal((Store, App), (initial.StoreName, initial.AppId));
        var current = Assert.Single(initial.Items);
        Assert.Equal(("timeout", "30s"), (current.Key, current.Content));
        Assert.Equal(("timeout", "10s", false), Single(changed));
        Assert.True(changed.Items[0].Version > current.Version);
        Assert.Equal(("retries", "3", false), Single(added));
        Assert.Equal(("timeout", "", true), Single(deleted));
        Assert.True(deleted.Items[0].Version > changed.Items[0].Version);
    }

    [Fact]
    public async Task SubscribeConfiguration_EmptyAppId_FollowsTheSidecarsOwnAppAndSaysWhich()
    {
        var group = Group();
        using var call = Runtime.SubscribeConfiguration();
        await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = Store, Group = group });

        var initial = await NextAsync(call);
        await SaveAsync(Item("timeout", "10s", group));
        var changed = await NextAsync(call);

        Assert.Equal(App, initial.AppId);
        Assert.Equal(("timeout", "10s", false), Single(changed));
        Assert.Equal(App, changed.AppId);
    }

    [Fact]
    public async Task SubscribeConfiguration_NoItemsYet_FirstResponseIsEmpty()
    {
        using var call = await SubscribeAsync(Group());

        var initial = await NextAsync(call);

        Assert.Empty(initial.Items);
    }

    [Fact]
    public async Task SubscribeConfiguration_KeysNamed_OnlyChangesOfThoseKeysInItsAppGroupAndLabelArrive()
    {
        var group = Group();
        using var call = await SubscribeAsync(group, keys: ["watched"]);
        await NextAsync(call);

        await SaveAsync(Item("other", "x", group));
        await SaveAsync(Item("watched", "other group", Group()));
        await SaveAsync(Item("watched", "other label", group, "canary"));
        await SaveAsync(Item("watched", "mine", group));

        Assert.Equal(("watched", "mine", false), Single(await NextAsync(call)));
    }

    [Fact]
    public async Task SubscribeConfiguration_ItemDeletedBeforeTheStreamSawIt_NoDeleteArrives()
    {
        var group = Group();
        using var call = await SubscribeAsync(group);
        await NextAsync(call);
        await SaveAsync(Item("a", "1", group));
        Assert.Equal(("a", "1", false), Single(await NextAsync(call)));

        await Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = Store, AppId = App, Group = group, Keys = { "a" } });
        await Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = Store, AppId = App, Group = group, Keys = { "a" } });
        await SaveAsync(Item("b", "2", group));

        Assert.Equal(("a", "", true), Single(await NextAsync(call)));
        Assert.Equal(("b", "2", false), Single(await NextAsync(call)));
    }

    [Fact]
    public async Task SubscribeConfiguration_ThousandStreamsOpenedAndClosed_LeaveNoSubscriberBehind()
    {
        var subscriptions = embedded.Sidecar.Services.GetRequiredService<ConfigurationSubscriptions>();
        var group = Group();
        int whileOpen;
        using (var open = await SubscribeAsync(group))
        {
            await NextAsync(open);
            whileOpen = subscriptions.Count;
        }

        for (var cycle = 0; cycle < 1000; cycle++)
        {
            using var call = await SubscribeAsync(group, keys: [$"key-{cycle % 10}"]);
            await NextAsync(call);
        }

        await Poll.UntilAsync(() => subscriptions.Count == 0, Wait, () => $"{subscriptions.Count} configuration subscribers are still registered");
        Assert.Equal(1, whileOpen);
    }

    public static TheoryData<string, string, string, string, StatusCode, string> BadSaves => new()
    {
        { "", App, "k", "v", StatusCode.InvalidArgument, "store_name is empty; name a configuration store: configstore." },
        { "config-db", App, "k", "v", StatusCode.NotFound, "store_name 'config-db' is not a configured configuration store; configured: configstore." },
        { Store, "my.app", "k", "v", StatusCode.InvalidArgument, "app_id 'my.app' must match ^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$ (letters, digits, '-' and '_', at most 48 characters)." },
        { Store, "shop", "k", "v", StatusCode.PermissionDenied, $"app_id 'shop' is another app's: the sidecar of app '{App}' writes only its own configuration (leave app_id empty, or set it to '{App}')." },
        { Store, App, "", "v", StatusCode.InvalidArgument, "items[0].key is empty; name the key." },
        { Store, App, "k", new string('x', 1025), StatusCode.InvalidArgument, "items[0].content is 1025 bytes, over the maximum of 1024 bytes (BusRuntime:MaxPayloadBytes)." },
        { Store, App, "k", "a\0b", StatusCode.InvalidArgument, "items[0].content contains the character U+0000, which a configuration store cannot keep." },
    };

    [Theory]
    [MemberData(nameof(BadSaves))]
    public async Task SaveConfiguration_BadInput_ReturnsPreciseStatusAndSavesNothing(string storeName, string appId, string key, string content, StatusCode code, string message)
    {
        var group = Group();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Runtime.SaveConfigurationAsync(new SaveConfigurationRequest
        {
            StoreName = storeName,
            AppId = appId,
            Items = { Item(key, content, group), Item("fine", "v", group) },
        }));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
        Assert.Empty(await GetAsync(group, keys: ["fine"]));
    }

    [Fact]
    public async Task SaveConfiguration_ContentOfExactlyTheMaximum_IsSaved()
    {
        var group = Group();

        await SaveAsync(Item("big", new string('x', 1024), group));

        Assert.Equal(1024, Assert.Single(await GetAsync(group)).Content.Length);
    }

    [Fact]
    public async Task GetConfiguration_EmptyKeyAmongKeys_ReturnsInvalidArgumentNamingItsIndex()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await GetAsync(Group(), keys: ["a", ""]));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("keys[1] is empty; name the key.", error.Status.Detail);
    }

    [Fact]
    public async Task DeleteConfiguration_NoKeys_ReturnsInvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = Store, AppId = App, Group = Group() }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("keys is empty; name the keys to delete.", error.Status.Detail);
    }

    public static TheoryData<string, string, StatusCode, string> BadSubscriptions => new()
    {
        { "config-db", App, StatusCode.NotFound, "store_name 'config-db' is not a configured configuration store; configured: configstore." },
        { Store, "my.app", StatusCode.InvalidArgument, "app_id 'my.app' must match ^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$ (letters, digits, '-' and '_', at most 48 characters)." },
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
        using var call = await SubscribeAsync(Group());
        await NextAsync(call);

        await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = Store, AppId = App, Group = Group() });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("SubscribeConfiguration takes one request per stream; open another stream to follow other items.", error.Status.Detail);
    }

    [Fact]
    public async Task SubscribeConfiguration_ClientCompletesItsSide_ChangesKeepArriving()
    {
        var group = Group();
        using var call = await SubscribeAsync(group);
        await NextAsync(call);

        await call.RequestStream.CompleteAsync();
        await SaveAsync(Item("a", "1", group));

        Assert.Equal(("a", "1", false), Single(await NextAsync(call)));
    }

    /// <summary>A group no other test uses.</summary>
    private static string Group() => EmbeddedSidecar.Key("cfg");

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

    private async Task SaveAsync(params ConfigurationItem[] items) =>
        await Runtime.SaveConfigurationAsync(new SaveConfigurationRequest { StoreName = Store, AppId = App, Items = { items } });

    private async Task<IReadOnlyList<ConfigurationItem>> GetAsync(string group, string label = "", string[]? keys = null, (string Name, string Value)[]? tags = null)
    {
        var request = new GetConfigurationRequest { StoreName = Store, AppId = App, Group = group, Label = label, Keys = { keys ?? [] } };
        foreach (var (name, value) in tags ?? [])
        {
            request.Tags[name] = value;
        }

        return (await Runtime.GetConfigurationAsync(request)).Items;
    }

    private async Task<AsyncDuplexStreamingCall<SubscribeConfigurationRequest, SubscribeConfigurationResponse>> SubscribeAsync(string group, string[]? keys = null)
    {
        var call = Runtime.SubscribeConfiguration();
        await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = Store, AppId = App, Group = group, Keys = { keys ?? [] } });
        return call;
    }

    private static async Task<SubscribeConfigurationResponse> NextAsync(AsyncDuplexStreamingCall<SubscribeConfigurationRequest, SubscribeConfigurationResponse> call)
    {
        using var timeout = new CancellationTokenSource(Wait);
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token), "the stream ended");
        return call.ResponseStream.Current;
    }
}
