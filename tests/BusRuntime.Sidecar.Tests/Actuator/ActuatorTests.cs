using System.Net;
using System.Text.Json;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;

namespace BusRuntime.Sidecar.Tests.Actuator;

public sealed class ActuatorTests
{
    [Fact]
    public async Task Readiness_InMemoryBusStarted_IsUpWithTheBusComponent()
    {
        await using var sidecar = await TestSidecar.StartAsync("actuator-ready");
        await sidecar.WaitUntilReadyAsync();

        using var response = await sidecar.Http.GetAsync(new Uri("/actuator/health/readiness", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("UP", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("UP", body.RootElement.GetProperty("components").GetProperty("bus").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Liveness_Running_IsUp()
    {
        await using var sidecar = await TestSidecar.StartAsync("actuator-live");

        using var response = await sidecar.Http.GetAsync(new Uri("/actuator/health/liveness", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("UP", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Info_WithAStreamSubscription_ShowsAppIdTransportAndSubscription()
    {
        await using var sidecar = await TestSidecar.StartAsync("actuator-info");
        using var call = sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = "orders" } });
        await call.ResponseStream.MoveNext(CancellationToken.None);

        using var body = JsonDocument.Parse(await sidecar.Http.GetStringAsync(new Uri("/actuator/info", UriKind.Relative)));

        Assert.Equal("actuator-info", body.RootElement.GetProperty("appId").GetString());
        Assert.Equal("InMemory", body.RootElement.GetProperty("transport").GetString());
        Assert.Equal("0.1.0", body.RootElement.GetProperty("version").GetString());
        Assert.Equal("pubsub", body.RootElement.GetProperty("pubsubs")[0].GetString());
        var subscription = Assert.Single(body.RootElement.GetProperty("subscriptions").EnumerateArray());
        Assert.Equal("orders", subscription.GetProperty("topic").GetString());
        Assert.Equal("busruntime.app.actuator-info.pubsub.orders", subscription.GetProperty("queue").GetString());
        Assert.Equal(1, subscription.GetProperty("handlers").GetInt32());
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task Actuator_OnTheGrpcPort_IsNotServed()
    {
        await using var sidecar = await TestSidecar.StartAsync("actuator-ports");
        using var http2 = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await http2.GetAsync(new Uri($"http://127.0.0.1:{sidecar.GrpcPort}/actuator/info"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
