using System.Text;
using BusRuntime.AppCallback.Http;
using BusRuntime.Core.Errors;

namespace BusRuntime.Sidecar.Tests.HttpApp;

public sealed class HttpSubscriptionParserTests
{
    [Fact]
    public void Parse_V2RoutesDeadLetterBulkAndMetadata_AllRead()
    {
        var problems = new List<string>();

        var parsed = HttpSubscriptionParser.Parse(Json("""
            [{"PubsubName": "pubsub", "Topic": "orders", "route": "/ignored",
              "routes": {"rules": [{"match": "event.type == \"created\"", "path": "/created"}, {"match": "event.data.total > 10", "path": "big"}], "default": "/orders"},
              "deadLetterTopic": "orders-dead", "bulkSubscribe": {"enabled": true, "maxMessagesCount": 50, "maxAwaitDurationMs": 200},
              "metadata": {"rawPayload": "True", "other": "x"}}]
            """), problems);

        Assert.Empty(problems);
        var subscription = Assert.Single(parsed);
        Assert.Equal(("pubsub", "orders"), (subscription.PubsubName, subscription.Topic));
        Assert.Equal([("event.type == \"created\"", "/created"), ("event.data.total > 10", "big")], subscription.Rules);
        Assert.Equal("/orders", subscription.DefaultRoute);
        Assert.Equal("orders-dead", subscription.DeadLetterTopic);
        Assert.True(subscription.BulkEnabled);
        Assert.Equal(50, subscription.BulkMaxMessagesCount);
        Assert.Equal(200, subscription.BulkMaxAwaitDurationMs);
        Assert.True(subscription.ToSpec().RawPayload);
        Assert.Equal("x", subscription.Metadata["other"]);
    }

    [Fact]
    public void Parse_V1RouteOnly_IsTheDefaultRoute()
    {
        var parsed = HttpSubscriptionParser.Parse(Json("""[{"pubsubname": "p", "topic": "t", "route": "t-route"}]"""), []);

        var subscription = Assert.Single(parsed);
        Assert.Equal("t-route", subscription.DefaultRoute);
        Assert.Empty(subscription.Rules);
        Assert.False(subscription.ToSpec().RawPayload);
        Assert.Null(subscription.DeadLetterTopic);
    }

    [Theory]
    [InlineData("""{"pubsubname": "p", "topic": "t", "route": "/r", "metadata": {"rawPayload": "yes"}}""", "metadata.rawPayload is 'yes'; it must be true or false")]
    [InlineData("""{"pubsubname": "p", "topic": "t", "route": "/r", "metadata": {"n": 1}}""", "metadata['n'] is a JSON number; metadata values must be strings")]
    [InlineData("""{"pubsubname": "p", "topic": "t", "routes": {"rules": [{"match": "true", "path": 3}]}}""", "routes.rules[1].path is a JSON number; it must be a string")]
    [InlineData("""{"pubsubname": "p", "topic": "t", "route": "/r", "bulkSubscribe": {"enabled": "yes"}}""", "bulkSubscribe.enabled is a JSON string; it must be true or false")]
    [InlineData("""{"pubsubname": "p", "topic": "t", "route": "/r", "bulkSubscribe": {"maxMessagesCount": -1}}""", "bulkSubscribe.maxMessagesCount must be a whole number")]
    [InlineData("""{"pubsubname": "p", "topic": "t"}""", "it has no route")]
    [InlineData("""{"topic": "t", "route": "/r"}""", "it names no pubsubname")]
    [InlineData("""[1]""", "subscription 1 is a JSON array, not an object")]
    public void Parse_BadEntry_LeftOutWithProblemNamingIt(string entry, string problem)
    {
        var problems = new List<string>();

        var parsed = HttpSubscriptionParser.Parse(Json($$"""[{{entry}}, {"pubsubname": "p", "topic": "ok", "route": "/ok"}]"""), problems);

        Assert.Equal("ok", Assert.Single(parsed).Topic);
        Assert.Contains(problem, Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SameTopicTwice_SecondLeftOut()
    {
        var problems = new List<string>();

        var parsed = HttpSubscriptionParser.Parse(Json("""[{"pubsubname": "p", "topic": "t", "route": "/a"}, {"pubsubname": "p", "topic": "t", "route": "/b"}]"""), problems);

        Assert.Equal("/a", Assert.Single(parsed).DefaultRoute);
        Assert.Equal("subscription 2 (pubsubname 'p', topic 't'): subscription 1 already subscribes to this topic; left out.", Assert.Single(problems));
    }

    [Theory]
    [InlineData("{\"pubsubname\": \"p\"}", "is a JSON object; it must be an array of subscriptions")]
    [InlineData("[{", "is not JSON")]
    public void Parse_NotAList_ThrowsInvalidArgument(string body, string message)
    {
        var exception = Assert.Throws<RuntimeException>(() => HttpSubscriptionParser.Parse(Json(body), []));

        Assert.Equal(ErrorCode.InvalidArgument, exception.Code);
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManySubscriptions_ThrowsNamingTheBound()
    {
        var body = "[" + string.Join(",", Enumerable.Range(0, HttpSubscriptionParser.MaxSubscriptions + 1).Select(index => $$"""{"pubsubname": "p", "topic": "t{{index}}", "route": "/r"}""")) + "]";

        var exception = Assert.Throws<RuntimeException>(() => HttpSubscriptionParser.Parse(Json(body), []));

        Assert.Contains($"lists {HttpSubscriptionParser.MaxSubscriptions + 1} subscriptions; at most {HttpSubscriptionParser.MaxSubscriptions}", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    public void Parse_EmptyOrNull_NoSubscriptions(string body) => Assert.Empty(HttpSubscriptionParser.Parse(Json(body), []));

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);
}
