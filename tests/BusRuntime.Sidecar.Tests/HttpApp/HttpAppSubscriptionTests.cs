using System.Text;
using System.Text.Json;
using BusRuntime.Testing;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using PublishEventRequest = BusRuntime.Protos.V1.PublishEventRequest;

namespace BusRuntime.Sidecar.Tests.HttpApp;

public sealed class HttpAppSubscriptionTests
{
    [Fact]
    public async Task PublishEvent_HttpAppSubscribes_ReceivesDaprCloudEventAtRoute()
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Subscribe(new { pubsubname = "pubsub", topic = "orders", route = "/orders" });
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        var published = await sidecar.Runtime.PublishEventAsync(new PublishEventRequest
        {
            PubsubName = "pubsub",
            Topic = "orders",
            Data = ByteString.CopyFromUtf8("""{"orderId": 42, "items": ["a"]}"""),
            DataContentType = "application/json",
            Metadata = { ["tenant"] = "acme" },
        });

        await app.WaitForAsync(1);
        var received = Assert.Single(app.Received);
        Assert.Equal("POST", received.Method);
        Assert.Equal("/orders", received.Path);
        Assert.Equal("application/cloudevents+json", received.ContentType);
        using var cloudEvent = JsonDocument.Parse(received.Body);
        var root = cloudEvent.RootElement;
        Assert.Equal(published.MessageId, root.GetProperty("id").GetString());
        Assert.Equal("shop", root.GetProperty("source").GetString());
        // Published through BusRuntime's own API: its default type, the one its rules matched.
        Assert.Equal("com.busruntime.event", root.GetProperty("type").GetString());
        Assert.Equal("1.0", root.GetProperty("specversion").GetString());
        Assert.Equal("application/json", root.GetProperty("datacontenttype").GetString());
        Assert.Equal(42, root.GetProperty("data").GetProperty("orderId").GetInt32());
        Assert.Equal("a", root.GetProperty("data").GetProperty("items")[0].GetString());
        Assert.Equal("orders", root.GetProperty("topic").GetString());
        Assert.Equal("pubsub", root.GetProperty("pubsubname").GetString());
        Assert.Equal("acme", root.GetProperty("tenant").GetString());
    }

    [Fact]
    public async Task PublishEvent_RoutingRules_EachEventPostedToTheRouteItsRuleSelects()
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Subscribe(new
        {
            pubsubname = "pubsub",
            topic = "routed",
            routes = new
            {
                rules = new[]
                {
                    new { match = "event.type == \"order.created\"", path = "/created" },
                    new { match = "event.data.total > 100", path = "/big" },
                },
                @default = "/other",
            },
        });
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        foreach (var (type, total) in new[] { ("order.created", 1), ("order.paid", 500), ("order.paid", 5) })
        {
            await sidecar.Runtime.PublishEventAsync(new PublishEventRequest
            {
                PubsubName = "pubsub",
                Topic = "routed",
                Data = ByteString.CopyFromUtf8($$"""{"total": {{total}}}"""),
                DataContentType = "application/json",
                Metadata = { ["cloudevent.type"] = type },
            });
        }

        await app.WaitForAsync(3);
        Assert.Equal(["/big", "/created", "/other"], app.Received.Select(received => received.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PublishThroughDaprsHttpApi_NoType_RulesMatchComDaprEventSentAndTheAppGetsIt()
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Subscribe(new
        {
            pubsubname = "pubsub",
            topic = "typed",
            routes = new { rules = new[] { new { match = "event.type == \"com.dapr.event.sent\"", path = "/dapr" } }, @default = "/other" },
        });
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        using (var published = await sidecar.Http.PostAsync(new Uri("/v1.0/publish/pubsub/typed", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json")))
        {
            published.EnsureSuccessStatusCode();
        }

        await app.WaitForAsync(1);
        var received = Assert.Single(app.Received);
        Assert.Equal("/dapr", received.Path);
        using var cloudEvent = JsonDocument.Parse(received.Body);
        Assert.Equal("com.dapr.event.sent", cloudEvent.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Start_MatchIsNotAnExpression_SubscriptionRejectedNamingTheRule()
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Subscribe(
            new { pubsubname = "pubsub", topic = "badrule", routes = new { rules = new[] { new { match = "event.type ==", path = "/x" } } } },
            new { pubsubname = "pubsub", topic = "fine", route = "/fine" });
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port);

        await sidecar.WaitForSubscriptionsAsync(1);
        await Poll.UntilAsync(() => sidecar.Log.Problems().Any(problem => problem.EventId == 1955), TimeSpan.FromSeconds(15), sidecar.Log.Tail);
        var problem = sidecar.Log.Problems().First(problem => problem.EventId == 1955);
        Assert.Contains("pubsub/badrule", problem.Message, StringComparison.Ordinal);
        Assert.Contains("routing rule 1", problem.Message, StringComparison.Ordinal);
        Assert.Equal("fine", Assert.Single(sidecar.Services.GetRequiredService<Core.Subscriptions.TopicSubscriptions>().List()).Topic);
    }

    [Fact]
    public async Task PublishEvent_BinaryAndTextData_AreDataBase64AndDataText()
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Subscribe(new { pubsubName = "pubsub", topic = "files", routes = new { @default = "files" } });
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port);
        await sidecar.WaitForSubscriptionsAsync(1);
        byte[] bytes = [0, 1, 2, 250, 255];

        await sidecar.Runtime.PublishEventAsync(new PublishEventRequest
        {
            PubsubName = "pubsub",
            Topic = "files",
            Data = ByteString.CopyFrom(bytes),
            DataContentType = "application/octet-stream",
            Metadata = { ["cloudevent.type"] = "file.uploaded" },
        });
        await app.WaitForAsync(1);
        await sidecar.Runtime.PublishEventAsync(new PublishEventRequest
        {
            PubsubName = "pubsub",
            Topic = "files",
            Data = ByteString.CopyFromUtf8("not { json"),
            DataContentType = "application/json",
        });
        await app.WaitForAsync(2);

        var (binary, text) = (app.Received.ElementAt(0), app.Received.ElementAt(1));
        Assert.Equal("/files", binary.Path);
        using var binaryEvent = JsonDocument.Parse(binary.Body);
        Assert.Equal("file.uploaded", binaryEvent.RootElement.GetProperty("type").GetString());
        Assert.Equal(bytes, binaryEvent.RootElement.GetProperty("data_base64").GetBytesFromBase64());
        Assert.False(binaryEvent.RootElement.TryGetProperty("data", out _));
        using var textEvent = JsonDocument.Parse(text.Body);
        Assert.Equal("not { json", textEvent.RootElement.GetProperty("data").GetString());
    }

    [Fact]
    public async Task PublishEvent_SubscriptionWithRawPayload_ReceivesPublishedBytesInDataBase64()
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Subscribe(new { pubsubname = "pubsub", topic = "raw", route = "/raw", metadata = new Dictionary<string, string> { ["rawPayload"] = "true" } });
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        await sidecar.Runtime.PublishEventAsync(new PublishEventRequest
        {
            PubsubName = "pubsub",
            Topic = "raw",
            Data = ByteString.CopyFromUtf8("""{"a":1}"""),
            DataContentType = "application/json",
        });

        await app.WaitForAsync(1);
        using var cloudEvent = JsonDocument.Parse(Assert.Single(app.Received).Body);
        Assert.Equal("application/octet-stream", cloudEvent.RootElement.GetProperty("datacontenttype").GetString());
        Assert.Equal("""{"a":1}""", Encoding.UTF8.GetString(cloudEvent.RootElement.GetProperty("data_base64").GetBytesFromBase64()));
        Assert.False(cloudEvent.RootElement.TryGetProperty("data", out _));
    }

    [Theory]
    [InlineData(404, "", 1)]
    [InlineData(200, """{"status":"DROP"}""", 1)]
    [InlineData(200, """{"status":"SUCCESS"}""", 1)]
    [InlineData(200, "", 1)]
    [InlineData(200, "not json", 1)]
    [InlineData(204, "", 1)]
    [InlineData(500, "", 3)]
    [InlineData(503, "busy", 3)]
    [InlineData(200, """{"status":"RETRY"}""", 3)]
    [InlineData(200, """{"status":"LATER"}""", 3)]
    public async Task PublishEvent_AppAnswers_DeliveredAsDaprReadsTheAnswer(int statusCode, string body, int deliveries)
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Subscribe(new { pubsubname = "pubsub", topic = "answers", route = "/answers" });
        app.Respond = _ => new HttpTestAnswer(statusCode, body, body.Length > 0 ? "application/json" : null);
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        var published = await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "answers", Data = ByteString.CopyFromUtf8("{}") });

        await app.WaitForAsync(deliveries);
        // The retry limit is 2: a retried event is delivered 3 times, then no more; wait past the last retry.
        await Task.Delay(500);
        Assert.Equal(deliveries, app.Received.Count);
        Assert.All(app.Received, received => Assert.Contains(published.MessageId, received.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_AppStartsAfterItsSidecar_SubscriptionsLoadedOnceItAnswers()
    {
        var port = FreePort.Next();
        await using var sidecar = await HttpAppSidecar.StartAsync("late", port);
        await Task.Delay(300);
        await using var app = await HttpTestApp.StartAsync(port);
        app.Subscribe(new { pubsubname = "pubsub", topic = "late", route = "late" });

        await sidecar.WaitForSubscriptionsAsync(1);
        await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "late", Data = ByteString.CopyFromUtf8("{}") });

        await app.WaitForAsync(1);
        Assert.Equal("/late", Assert.Single(app.Received).Path);
        Assert.Contains(sidecar.Log.Tail().Split(Environment.NewLine), line => line.Contains("GET /dapr/subscribe", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublishEvent_AppDown_DeliveryFailsAndIsRetried()
    {
        var app = await HttpTestApp.StartAsync();
        app.Subscribe(new { pubsubname = "pubsub", topic = "down", route = "/down" });
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port);
        await sidecar.WaitForSubscriptionsAsync(1);
        await app.DisposeAsync();

        var published = await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "down", Data = ByteString.CopyFromUtf8("{}") });

        // Core's "delivering failed; it will be retried", once per attempt: the first and its 2 retries.
        await Poll.UntilAsync(
            () => sidecar.Log.Problems().Count(problem => problem.EventId == 204 && problem.Message.Contains(published.MessageId, StringComparison.Ordinal)) == 3,
            TimeSpan.FromSeconds(15),
            sidecar.Log.Tail);
        Assert.All(
            sidecar.Log.Problems().Where(problem => problem.EventId == 204),
            problem => Assert.IsType<HttpRequestException>(problem.Exception));
    }

    [Fact]
    public async Task Start_SubscriptionListIsNotJson_SubscribesToNothingAndLogsWhy()
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Subscriptions = new HttpTestAnswer(200, "[{\"pubsubname\": ", "application/json");
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port);

        await Poll.UntilAsync(() => sidecar.Log.Problems().Any(problem => problem.EventId == 1951), TimeSpan.FromSeconds(15), sidecar.Log.Tail);
        var problem = sidecar.Log.Problems().First(problem => problem.EventId == 1951);
        Assert.Contains("is not JSON", problem.Message, StringComparison.Ordinal);
        Assert.Empty(sidecar.Services.GetRequiredService<Core.Subscriptions.TopicSubscriptions>().List());
    }

    [Fact]
    public async Task Start_OneBadEntry_OthersSubscribedAndBadOneNamed()
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Subscriptions = new HttpTestAnswer(
            200,
            """[{"pubsubname":"pubsub","topic":"good","route":"/good"},{"pubsubname":"pubsub","topic":"bad","route":7},{"pubsubname":"pubsub","topic":"none"}]""",
            "application/json");
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port);

        await sidecar.WaitForSubscriptionsAsync(1);
        await Poll.UntilAsync(() => sidecar.Log.Problems().Count(problem => problem.EventId == 1952) == 2, TimeSpan.FromSeconds(15), sidecar.Log.Tail);
        var problems = sidecar.Log.Problems().Where(problem => problem.EventId == 1952).Select(problem => problem.Message).ToList();
        Assert.Contains(problems, message => message.Contains("subscription 2 (pubsubname 'pubsub', topic 'bad'): route is a JSON number", StringComparison.Ordinal));
        Assert.Contains(problems, message => message.Contains("subscription 3 (pubsubname 'pubsub', topic 'none'): it has no route", StringComparison.Ordinal));
        Assert.Equal("good", Assert.Single(sidecar.Services.GetRequiredService<Core.Subscriptions.TopicSubscriptions>().List()).Topic);
    }

    [Fact]
    public async Task Start_AppAnswers404_SubscribesToNothing()
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Subscriptions = new HttpTestAnswer(404);
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port);

        await Poll.UntilAsync(() => app.SubscribeCalls == 1, TimeSpan.FromSeconds(15), () => "GET /dapr/subscribe was not asked");
        await Task.Delay(300);
        Assert.Empty(sidecar.Services.GetRequiredService<Core.Subscriptions.TopicSubscriptions>().List());
        Assert.Equal(1, app.SubscribeCalls);
    }
}
