using System.Text;
using System.Text.Json;
using BusRuntime.AppCallback.Http;
using BusRuntime.Contracts;
using BusRuntime.Core.Subscriptions;
using BusRuntime.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace BusRuntime.Sidecar.Tests.HttpApp;

/// <summary>The bulk delivery of an HTTP app's handler, called as a bulk subscription calls it.</summary>
public sealed class HttpAppBulkDeliveryTests
{
    [Fact]
    public async Task HandleBulkAsync_AppAnswersSomeStatuses_EachEventGetsItsOwnAndMissingOnesRetry()
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Respond = _ => new HttpTestAnswer(200, """{"statuses": [{"entryId": "e1", "status": "SUCCESS"}, {"entryId": "e2", "status": "DROP"}]}""", "application/json");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{app.Port}") };
        var handler = new HttpAppTopicEventHandler(client, new HttpAppSubscription("pubsub", "bulk"), NullLogger.Instance);

        var outcomes = await handler.HandleBulkAsync([Event("e1", "/bulk"), Event("e2", "/bulk"), Event("e3", "/bulk")], CancellationToken.None);

        Assert.Equal([DeliveryOutcome.Success, DeliveryOutcome.Drop, DeliveryOutcome.Retry], outcomes);
        var received = Assert.Single(app.Received);
        Assert.Equal("/bulk", received.Path);
        Assert.StartsWith("application/json", received.ContentType, StringComparison.Ordinal);
        using var envelope = JsonDocument.Parse(received.Body);
        Assert.Equal("com.dapr.event.sent.bulk", envelope.RootElement.GetProperty("type").GetString());
        Assert.Equal("bulk", envelope.RootElement.GetProperty("topic").GetString());
        Assert.Equal("pubsub", envelope.RootElement.GetProperty("pubsubname").GetString());
        var entries = envelope.RootElement.GetProperty("entries");
        Assert.Equal(["e1", "e2", "e3"], entries.EnumerateArray().Select(entry => entry.GetProperty("entryId").GetString()));
        Assert.Equal("application/cloudevents+json", entries[0].GetProperty("contentType").GetString());
        Assert.Equal(7, entries[0].GetProperty("event").GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal("e1", entries[0].GetProperty("event").GetProperty("id").GetString());
    }

    [Theory]
    [InlineData(404, "", DeliveryOutcome.Drop)]
    [InlineData(500, "", DeliveryOutcome.Retry)]
    [InlineData(200, "not json", DeliveryOutcome.Retry)]
    public async Task HandleBulkAsync_AppAnswersForTheWholeBatch_EveryEventGetsIt(int statusCode, string body, DeliveryOutcome expected)
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Respond = _ => new HttpTestAnswer(statusCode, body);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{app.Port}") };
        var handler = new HttpAppTopicEventHandler(client, new HttpAppSubscription("pubsub", "bulk"), NullLogger.Instance);

        var outcomes = await handler.HandleBulkAsync([Event("a", "/one"), Event("b", "/two")], CancellationToken.None);

        Assert.Equal([expected, expected], outcomes);
        Assert.Equal(["/one", "/two"], app.Received.Select(received => received.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task HandleBulkAsync_SubscriptionWithRawPayload_EntriesAreTheBytesInBase64WithTheirContentType()
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Respond = _ => new HttpTestAnswer(200, """{"statuses": [{"entryId": "r1", "status": "SUCCESS"}]}""", "application/json");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{app.Port}") };
        var handler = new HttpAppTopicEventHandler(client, new HttpAppSubscription("pubsub", "bulk"), NullLogger.Instance);
        var raw = new DeliveredTopicEvent("r1", new TopicEvent { PubsubName = "pubsub", Topic = "bulk", Source = "shop", DataContentType = "text/plain", Data = Encoding.UTF8.GetBytes("plain bytes") })
        {
            Path = "/bulk",
            RawPayload = true,
        };

        var outcomes = await handler.HandleBulkAsync([raw], CancellationToken.None);

        Assert.Equal([DeliveryOutcome.Success], outcomes);
        using var envelope = JsonDocument.Parse(Assert.Single(app.Received).Body);
        var entry = envelope.RootElement.GetProperty("entries")[0];
        Assert.Equal("plain bytes", Encoding.UTF8.GetString(entry.GetProperty("event").GetBytesFromBase64()));
        Assert.Equal("text/plain", entry.GetProperty("contentType").GetString());
    }

    private static DeliveredTopicEvent Event(string id, string path) =>
        new(id, new TopicEvent { PubsubName = "pubsub", Topic = "bulk", Source = "shop", Data = Encoding.UTF8.GetBytes("""{"n": 7}""") }) { Path = path };
}
