using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using BusRuntime.Protos.V1;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;

namespace BusRuntime.Sidecar.Tests.Http;

public sealed class DaprPublishRoutesTests(EmbeddedSidecar fixture) : IClassFixture<EmbeddedSidecar>
{
    private HttpClient Http => fixture.Sidecar.Http;

    [Fact]
    public async Task Publish_ToASubscribedTopic_Returns204AndTheSubscriberGetsBodyContentTypeAndMetadata()
    {
        var topic = EmbeddedSidecar.Key("http-orders");
        using var call = fixture.Sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = topic } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        using var published = await Http.PostAsync(Path($"/v1.0/publish/pubsub/{topic}?metadata.priority=high"), new StringContent("order 7", Encoding.UTF8, "text/plain"));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var delivered = call.ResponseStream.Current.EventMessage;

        Assert.Equal(HttpStatusCode.NoContent, published.StatusCode);
        Assert.Equal("order 7", delivered.Data.ToStringUtf8());
        Assert.StartsWith("text/plain", delivered.DataContentType, StringComparison.Ordinal);
        Assert.Equal(topic, delivered.Topic);
        Assert.Equal("high", delivered.Extensions.Fields["priority"].StringValue);
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = delivered.Id } });
        await call.RequestStream.CompleteAsync();
    }

    [Theory]
    [InlineData("PUT", "/v1.0/publish/pubsub/{0}")]
    [InlineData("POST", "/v1.0/publish/bulk/pubsub/{0}")]
    [InlineData("PUT", "/v1.0/publish/bulk/pubsub/{0}")]
    [InlineData("PUT", "/v1.0-alpha1/publish/bulk/pubsub/{0}")]
    public async Task Publish_PutOrStableBulkRoute_Returns204AndTheSubscriberGetsTheEvent(string verb, string route)
    {
        var topic = EmbeddedSidecar.Key("http-verbs");
        using var call = fixture.Sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = topic } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var bulk = route.Contains("/bulk/", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(verb), Path(string.Format(CultureInfo.InvariantCulture, route, topic)))
        {
            Content = bulk ? Json("""[{"entryId":"1","event":"order 8","contentType":"text/plain"}]""") : new StringContent("order 8", Encoding.UTF8, "text/plain"),
        };

        using var published = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, published.StatusCode);
        using var arrival = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.True(await call.ResponseStream.MoveNext(arrival.Token));
        var delivered = call.ResponseStream.Current.EventMessage;

        Assert.Equal("order 8", delivered.Data.ToStringUtf8());
        Assert.Equal(topic, delivered.Topic);
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = delivered.Id } });
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task BulkPublish_StableRouteUnknownPubSub_Returns404NamingThatPubSubNotBulk()
    {
        using var published = await Http.PostAsync(Path("/v1.0/publish/bulk/nosuchpubsub/orders"), Json("""[{"entryId":"1","event":1,"contentType":"application/json"}]"""));

        await AssertErrorAsync(published, HttpStatusCode.NotFound, "ERR_PUBSUB_NOT_FOUND", "nosuchpubsub");
    }

    [Fact]
    public async Task Publish_UnknownPubSub_Returns404PubSubNotFound()
    {
        using var published = await Http.PostAsync(Path("/v1.0/publish/nosuchpubsub/orders"), Json("{}"));

        await AssertErrorAsync(published, HttpStatusCode.NotFound, "ERR_PUBSUB_NOT_FOUND", "nosuchpubsub");
    }

    [Fact]
    public async Task Publish_InvalidTopicName_Returns400NamingTheTopic()
    {
        using var published = await Http.PostAsync(Path("/v1.0/publish/pubsub/bad%20topic"), Json("{}"));

        await AssertErrorAsync(published, HttpStatusCode.BadRequest, "ERR_PUBSUB_PUBLISH_MESSAGE", "topic 'bad topic'");
    }

    [Fact]
    public async Task Publish_BodyOverTheLimit_Returns400()
    {
        using var published = await Http.PostAsync(Path("/v1.0/publish/pubsub/big"), new ByteArrayContent(new byte[2048]));

        await AssertErrorAsync(published, HttpStatusCode.BadRequest, "ERR_PUBSUB_PUBLISH_MESSAGE", "over the maximum of 1024 bytes");
    }

    [Fact]
    public async Task BulkPublish_JsonTextAndBinaryEntries_Returns204AndEveryEventArrivesWithItsBytes()
    {
        var topic = EmbeddedSidecar.Key("http-bulk");
        using var call = fixture.Sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = topic } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        using var published = await Http.PostAsync(Path($"/v1.0-alpha1/publish/bulk/pubsub/{topic}?metadata.channel=bulk"), Json("""
            [
              {"entryId":"1","event":{"n":1},"contentType":"application/json"},
              {"entryId":"2","event":"two","contentType":"text/plain","metadata":{"entry":"second"}},
              {"entryId":"3","event":"AAEC","contentType":"application/octet-stream"}
            ]
            """));
        var delivered = new Dictionary<string, Protos.Dapr.Runtime.V1.TopicEventRequest>();
        while (delivered.Count < 3)
        {
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            var message = call.ResponseStream.Current.EventMessage;
            delivered[message.DataContentType] = message;
            await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = message.Id } });
        }

        Assert.Equal(HttpStatusCode.NoContent, published.StatusCode);
        Assert.Equal("{\"n\":1}", delivered["application/json"].Data.ToStringUtf8());
        Assert.Equal("two", delivered["text/plain"].Data.ToStringUtf8());
        Assert.Equal("second", delivered["text/plain"].Extensions.Fields["entry"].StringValue);
        Assert.Equal("bulk", delivered["text/plain"].Extensions.Fields["channel"].StringValue);
        Assert.Equal(new byte[] { 0, 1, 2 }, delivered["application/octet-stream"].Data.ToByteArray());
        await call.RequestStream.CompleteAsync();
    }

    [Theory]
    [InlineData("""[{"entryId":"1","event":{"n":1},"contentType":"text/plain"}]""", "ERR_PUBSUB_EVENTS_SER", "[0].event must be a string")]
    [InlineData("""[{"entryId":"1","event":"x","contentType":"application/octet-stream"}]""", "ERR_PUBSUB_EVENTS_SER", "[0].event is not base64")]
    [InlineData("""{"entryId":"1"}""", "ERR_PUBSUB_EVENTS_SER", "must be an array")]
    [InlineData("""[{"entryId":"1","event":1,"contentType":"application/json"},{"entryId":"1","event":2,"contentType":"application/json"}]""", "ERR_PUBSUB_PUBLISH_MESSAGE", "entry_id '1' is used twice")]
    public async Task BulkPublish_BadEntries_Returns400NamingTheEntry(string body, string errorCode, string messagePart)
    {
        using var published = await Http.PostAsync(Path("/v1.0-alpha1/publish/bulk/pubsub/orders"), Json(body));

        await AssertErrorAsync(published, HttpStatusCode.BadRequest, errorCode, messagePart);
    }

    [Fact]
    public async Task BulkPublish_OneEntryOverTheLimit_Returns500ListingOnlyThatEntry()
    {
        var big = new string('x', 2048);

        using var published = await Http.PostAsync(Path("/v1.0-alpha1/publish/bulk/pubsub/orders"), Json($$"""
            [{"entryId":"small","event":"ok","contentType":"text/plain"},{"entryId":"big","event":"{{big}}","contentType":"text/plain"}]
            """));
        using var body = JsonDocument.Parse(await published.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.InternalServerError, published.StatusCode);
        Assert.Equal("ERR_PUBSUB_PUBLISH_MESSAGE", body.RootElement.GetProperty("errorCode").GetString());
        var failed = Assert.Single(body.RootElement.GetProperty("failedEntries").EnumerateArray());
        Assert.Equal("big", failed.GetProperty("entryId").GetString());
        Assert.Contains("over the maximum of 1024 bytes", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
