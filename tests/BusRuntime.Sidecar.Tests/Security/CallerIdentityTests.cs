using System.Net;
using BusRuntime.Protos.V1;
using BusRuntime.Sidecar.Tests.Dapr;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;
using DaprInvokeRequest = BusRuntime.Protos.Dapr.Common.V1.InvokeRequest;
using DaprInvokeServiceRequest = BusRuntime.Protos.Dapr.Runtime.V1.InvokeServiceRequest;
using DaprPublishEventRequest = BusRuntime.Protos.Dapr.Runtime.V1.PublishEventRequest;
using InvokeServiceRequest = BusRuntime.Protos.V1.InvokeServiceRequest;
using PublishEventRequest = BusRuntime.Protos.V1.PublishEventRequest;

namespace BusRuntime.Sidecar.Tests.Security;

/// <summary>
/// The caller's app id is the one its sidecar stamps: an app cannot set it on any path where it travels, and what
/// it tries is refused or replaced.
/// </summary>
public sealed class CallerIdentityTests
{
    [Fact]
    public async Task InvokeService_CallerSendsACallerIdHeader_TheAppGetsTheStampedOneOnEveryApi()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("billing", appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using var _ = channel;
        var forged = new Metadata { { "dapr-caller-app-id", "admin" } };

        await dapr.InvokeServiceAsync(new DaprInvokeServiceRequest { Id = "billing", Message = new DaprInvokeRequest { Method = "grpc" } }, forged, DateTime.UtcNow.AddSeconds(30));
        await sidecar.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = "billing", Method = "v1" }, forged, DateTime.UtcNow.AddSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Post, Path("/v1.0/invoke/billing/method/http")) { Content = Json("{}") };
        request.Headers.Add("dapr-caller-app-id", "admin");
        using var response = await sidecar.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["grpc", "v1", "http"], app.Received.Select(received => received.Request.Method));
        Assert.All(app.Received, received => Assert.Equal("billing", received.Headers["dapr-caller-app-id"]));
    }

    [Fact]
    public async Task PublishEvent_MetadataSettingTheSource_InvalidArgumentOnEveryApi()
    {
        await using var sidecar = await TestSidecar.StartAsync("shop");
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using var _ = channel;

        var ours = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.PublishEventAsync(
            new PublishEventRequest { PubsubName = "pubsub", Topic = "orders", Data = ByteString.CopyFromUtf8("{}"), Metadata = { ["cloudevent.source"] = "billing" } }));
        var daprs = await Assert.ThrowsAsync<RpcException>(async () => await dapr.PublishEventAsync(
            new DaprPublishEventRequest { PubsubName = "pubsub", Topic = "orders", Data = ByteString.CopyFromUtf8("{}"), Metadata = { ["cloudevent.source"] = "billing" } }));
        using var http = await sidecar.Http.PostAsync(Path("/v1.0/publish/pubsub/orders?metadata.cloudevent.source=billing"), Json("{}"));

        const string message = "metadata key 'cloudevent.source' would set the event's source, which is the publisher's app id as its sidecar stamps it; leave it out.";
        Assert.Equal(StatusCode.InvalidArgument, ours.StatusCode);
        Assert.Equal(message, ours.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, daprs.StatusCode);
        Assert.Equal(message, daprs.Status.Detail);
        await AssertErrorAsync(http, HttpStatusCode.BadRequest, "ERR_PUBSUB_PUBLISH_MESSAGE", message);
    }

    [Fact]
    public async Task PublishEvent_Subscriber_SeesThePublishersAppIdAsSourceAndNoSourceExtension()
    {
        await using var sidecar = await TestSidecar.StartAsync("shop");
        using var call = sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = "orders" } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "orders", Data = ByteString.CopyFromUtf8("{}"), Metadata = { ["tenant"] = "acme" } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var delivered = call.ResponseStream.Current.EventMessage;

        Assert.Equal("shop", delivered.Source);
        Assert.False(delivered.Extensions.Fields.ContainsKey("source"));
        Assert.Equal("acme", delivered.Extensions.Fields["tenant"].StringValue);
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = delivered.Id } });
        await call.RequestStream.CompleteAsync();
    }
}
