using BusRuntime.Core.Configuration;
using BusRuntime.Core.PubSub;

namespace BusRuntime.Core.Tests.PubSub;

/// <summary>
/// Dapr's pub/sub topic scoping, checked against the tables of Dapr's "Scope Pub/sub topic access" page
/// (examples 1 to 4) and the rules of dapr/dapr pkg/scopes and pkg/runtime/pubsub IsOperationAllowed.
/// </summary>
public sealed class TopicScopesTests
{
    private static ComponentOptions Component(params (string Key, string Value)[] metadata)
    {
        var component = new ComponentOptions { Name = "pubsub", Type = ComponentTypes.PubSubBus };
        foreach (var (key, value) in metadata)
        {
            component.Metadata[key] = value;
        }

        return component;
    }

    private static bool MayPublish(ComponentOptions component, string appId, string topic) => TopicScopes.For(component, appId).PublishRefusal(topic) is null;

    private static bool MaySubscribe(ComponentOptions component, string appId, string topic) => TopicScopes.For(component, appId).SubscribeRefusal(topic) is null;

    [Theory]
    [InlineData("app1", "topic1", true)]
    [InlineData("app1", "topic2", false)]
    [InlineData("app1", "topic3", false)]
    [InlineData("app2", "topic1", false)]
    [InlineData("app2", "topic2", true)]
    [InlineData("app2", "topic3", true)]
    [InlineData("app3", "topic1", false)]
    [InlineData("app3", "topic2", false)]
    [InlineData("app3", "topic3", false)]
    [InlineData("app4", "topic1", true)]
    public void PublishRefusal_Example1PublishingScopes_AsDaprsTable(string appId, string topic, bool allowed)
    {
        var component = Component(("publishingScopes", "app1=topic1;app2=topic2,topic3;app3="), ("subscriptionScopes", "app2=;app3=topic1"));

        Assert.Equal(allowed, MayPublish(component, appId, topic));
    }

    [Theory]
    [InlineData("app1", "topic1", true)]
    [InlineData("app1", "topic2", true)]
    [InlineData("app1", "topic3", true)]
    [InlineData("app1", "anything-else", true)]
    [InlineData("app2", "topic1", false)]
    [InlineData("app2", "topic2", false)]
    [InlineData("app3", "topic1", true)]
    [InlineData("app3", "topic2", false)]
    [InlineData("app3", "topic3", false)]
    public void SubscribeRefusal_Example1SubscriptionScopes_AsDaprsTable(string appId, string topic, bool allowed)
    {
        var component = Component(("publishingScopes", "app1=topic1;app2=topic2,topic3;app3="), ("subscriptionScopes", "app2=;app3=topic1"));

        Assert.Equal(allowed, MaySubscribe(component, appId, topic));
    }

    [Theory]
    [InlineData("topic1", true)]
    [InlineData("topic3", true)]
    [InlineData("topic4", false)]
    public void Refusals_Example2AllowedTopics_OnlyThoseForEveryApp(string topic, bool allowed)
    {
        var component = Component(("allowedTopics", "topic1,topic2,topic3"));

        Assert.Equal(allowed, MayPublish(component, "any-app", topic));
        Assert.Equal(allowed, MaySubscribe(component, "any-app", topic));
    }

    [Theory]
    [InlineData("app1", "A", true, false)]
    [InlineData("app1", "B", false, false)]
    [InlineData("app1", "C", false, false)]
    [InlineData("app2", "A", true, true)]
    [InlineData("app2", "B", true, false)]
    [InlineData("app2", "C", false, false)]
    [InlineData("app3", "A", true, true)]
    [InlineData("app3", "B", true, true)]
    [InlineData("app3", "C", false, false)]
    public void Refusals_Example3AllowedTopicsAndScopes_AsDaprsTables(string appId, string topic, bool publish, bool subscribe)
    {
        var component = Component(("allowedTopics", "A,B"), ("publishingScopes", "app1=A"), ("subscriptionScopes", "app1=;app2=A"));

        Assert.Equal(publish, MayPublish(component, appId, topic));
        Assert.Equal(subscribe, MaySubscribe(component, appId, topic));
    }

    [Theory]
    [InlineData("app1", "A", true)]
    [InlineData("app1", "B", true)]
    [InlineData("app1", "C", false)]
    [InlineData("app2", "A", false)]
    [InlineData("app2", "B", true)]
    [InlineData("app2", "C", false)]
    [InlineData("app3", "A", false)]
    [InlineData("app3", "B", false)]
    [InlineData("app3", "C", true)]
    public void Refusals_Example4ProtectedTopics_AsDaprsTables(string appId, string topic, bool allowed)
    {
        var component = Component(("protectedTopics", "A,B"), ("publishingScopes", "app1=A,B;app2=B"), ("subscriptionScopes", "app1=A,B;app2=B"));

        Assert.Equal(allowed, MayPublish(component, appId, topic));
        Assert.Equal(allowed, MaySubscribe(component, appId, topic));
    }

    [Fact]
    public void Refusals_NoScopeMetadata_EveryAppEveryTopic()
    {
        var component = Component();

        Assert.True(MayPublish(component, "app1", "orders"));
        Assert.True(MaySubscribe(component, "app1", "orders"));
    }

    [Fact]
    public void PublishRefusal_BlanksAndKeyInAnyCase_ReadAsDaprDoes()
    {
        var component = Component(("PUBLISHINGSCOPES", " app1 = topic1 , topic2 ;\n app2= "));

        Assert.True(MayPublish(component, "app1", "topic2"));
        Assert.False(MayPublish(component, "app2", "topic1"));
    }

    [Fact]
    public void PublishRefusal_AppListedTwice_GetsTheTopicsOfBothEntries()
    {
        var component = Component(("publishingScopes", "app1=topic1;app1=topic2"));

        Assert.True(MayPublish(component, "app1", "topic1"));
        Assert.True(MayPublish(component, "app1", "topic2"));
        Assert.False(MayPublish(component, "app1", "topic3"));
    }

    [Fact]
    public void PublishRefusal_NamesAreCaseSensitive()
    {
        var component = Component(("publishingScopes", "app1=Orders"));

        Assert.False(MayPublish(component, "app1", "orders"));
        Assert.True(MayPublish(component, "APP1", "orders"));
    }

    [Fact]
    public void PublishRefusal_TopicOutsideTheAppsScope_SaysWhichTopicsItMayUse()
    {
        var refusal = TopicScopes.For(Component(("publishingScopes", "app1=b,a")), "app1").PublishRefusal("c");

        Assert.Equal("the component's publishingScopes grant this app only a, b.", refusal);
    }

    [Fact]
    public void SubscribeRefusal_AppWithNoTopic_SaysSo()
    {
        var refusal = TopicScopes.For(Component(("subscriptionScopes", "app1=")), "app1").SubscribeRefusal("orders");

        Assert.Equal("the component's subscriptionScopes grant this app no topic.", refusal);
    }

    [Fact]
    public void PublishRefusal_TopicNotAllowed_ListsTheAllowedTopicsBounded()
    {
        var topics = string.Join(",", Enumerable.Range(0, 25).Select(index => $"t{index:00}"));

        var refusal = TopicScopes.For(Component(("allowedTopics", topics)), "app1").PublishRefusal("orders");

        Assert.Equal("it is not one of the component's allowedTopics (t00, t01, t02, t03, t04, t05, t06, t07, t08, t09 and 15 more).", refusal);
    }

    [Fact]
    public void PublishRefusal_ProtectedTopicAndAppNotListed_SaysItIsProtected()
    {
        var refusal = TopicScopes.For(Component(("protectedTopics", "payments")), "app1").PublishRefusal("payments");

        Assert.Equal("it is one of the component's protectedTopics, and publishingScopes does not grant it to this app.", refusal);
    }

    [Fact]
    public void Problems_WellFormedMetadata_None()
    {
        var component = Component(
            ("publishingScopes", "app1=topic1;app2=topic2,topic3;app3=;"),
            ("subscriptionScopes", "app2=;app3=topic1"),
            ("allowedTopics", "topic1,topic2,topic3"),
            ("protectedTopics", "topic3"));

        Assert.Empty(TopicScopes.Problems(component, "BusRuntime:Components:0"));
    }

    [Theory]
    [InlineData("publishingScopes", "app1topic1", "BusRuntime:Components:0:Metadata:publishingScopes: entry 'app1topic1' is not app=topic1,topic2 (entries are separated by ';', an app with no topic is written app=).")]
    [InlineData("subscriptionScopes", "app1=a=b", "BusRuntime:Components:0:Metadata:subscriptionScopes: entry 'app1=a=b' is not app=topic1,topic2 (entries are separated by ';', an app with no topic is written app=).")]
    [InlineData("publishingScopes", "app.1=topic1", "BusRuntime:Components:0:Metadata:publishingScopes: 'app.1' in entry 'app.1=topic1' is not an app id; app ids match ^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$.")]
    [InlineData("publishingScopes", "=topic1", "BusRuntime:Components:0:Metadata:publishingScopes: '' in entry '=topic1' is not an app id; app ids match ^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$.")]
    [InlineData("allowedTopics", "orders,orders/*", "BusRuntime:Components:0:Metadata:allowedTopics: 'orders/*' is not a topic any app can use; topics match ^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ and do not end with _error or _skipped.")]
    [InlineData("protectedTopics", "orders_error", "BusRuntime:Components:0:Metadata:protectedTopics: 'orders_error' is not a topic any app can use; topics match ^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ and do not end with _error or _skipped.")]
    public void Problems_MalformedValue_NamesTheKeyAndTheEntry(string key, string value, string problem) =>
        Assert.Equal(problem, Assert.Single(TopicScopes.Problems(Component((key, value)), "BusRuntime:Components:0")));

    [Fact]
    public void Problems_LongEntry_IsShortened()
    {
        var entry = new string('a', 100);

        var problem = Assert.Single(TopicScopes.Problems(Component(("publishingScopes", entry)), "BusRuntime:Components:0"));

        Assert.Contains($"entry '{new string('a', 64)}… (100 characters)'", problem, StringComparison.Ordinal);
    }
}
