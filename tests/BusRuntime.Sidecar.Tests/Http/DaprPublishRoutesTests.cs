using System.Net;
using System.Text;
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
}
