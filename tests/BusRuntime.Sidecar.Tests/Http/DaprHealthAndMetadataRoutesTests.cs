using System.Net;
using System.Text;
using System.Text.Json;
using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Sidecar.Tests.Dapr;
using BusRuntime.Testing;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;

namespace BusRuntime.Sidecar.Tests.Http;

public sealed class DaprHealthAndMetadataRoutesTests
{
    [Theory]
    [InlineData("/v1.0/healthz")]
    [InlineData("/v1.0/healthz/outbound")]
    public async Task Healthz_Ready_Returns204(string path)
    {
        await using var sidecar = await TestSidecar.StartAsync("dapr-healthz");
        await sidecar.WaitUntilReadyAsync();

        using var response = await sidecar.Http.GetAsync(Path(path));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_StoreDown_Returns500NotReadyNamingIt()
    {
        // A PostgreSQL address nobody listens on: the stores never come up.
        await using var sidecar = await TestSidecar.StartAsync("dapr-unhealthy", new Dictionary<string, string?>
        {
            ["BusRuntime:Postgres"] = $"Host=127.0.0.1;Port={FreePort.Next()};Username=nobody;Password=none;Database=none;Timeout=1",
        });

        using var response = await sidecar.Http.GetAsync(Path("/v1.0/healthz"));
        using var outbound = await sidecar.Http.GetAsync(Path("/v1.0/healthz/outbound"));

        await AssertErrorAsync(response, HttpStatusCode.InternalServerError, "ERR_HEALTH_NOT_READY", "dapr is not ready");
        await AssertErrorAsync(outbound, HttpStatusCode.InternalServerError, "ERR_OUTBOUND_HEALTH_NOT_READY", "dapr outbound is not ready");
    }

    [Fact]
    public async Task Healthz_OtherAppId_Returns500AppIdNotMatch()
    {
        await using var sidecar = await TestSidecar.StartAsync("dapr-appid");
        await sidecar.WaitUntilReadyAsync();

        using var mine = await sidecar.Http.GetAsync(Path("/v1.0/healthz?appid=dapr-appid"));
        using var other = await sidecar.Http.GetAsync(Path("/v1.0/healthz?appid=someone-else"));

        Assert.Equal(HttpStatusCode.NoContent, mine.StatusCode);
        await AssertErrorAsync(other, HttpStatusCode.InternalServerError, "ERR_HEALTH_APPID_NOT_MATCH", "app-id does not match");
    }

    [Fact]
    public async Task Metadata_Get_HasAppIdDefaultComponentsAndWhatPutSet()
    {
        await using var sidecar = await TestSidecar.StartAsync("dapr-metadata");

        using var put = await sidecar.Http.PutAsync(Path("/v1.0/metadata/owner"), new StringContent("team-a", Encoding.UTF8, "text/plain"));
        using var body = JsonDocument.Parse(await sidecar.Http.GetStringAsync(Path("/v1.0/metadata")));
        var root = body.RootElement;

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Equal("dapr-metadata", root.GetProperty("id").GetString());
        Assert.Equal("0.1.0", root.GetProperty("runtimeVersion").GetString());
        Assert.Equal("team-a", root.GetProperty("extended").GetProperty("owner").GetString());
        var components = root.GetProperty("components").EnumerateArray()
            .ToDictionary(component => component.GetProperty("name").GetString()!, component => component.GetProperty("type").GetString());
        Assert.Equal("state.in-memory", components["statestore"]);
        Assert.Equal("pubsub.bus", components["pubsub"]);
        Assert.Contains("lockstore", components.Keys);
        Assert.Contains("configstore", components.Keys);
        Assert.Contains("secretstore", components.Keys);
        Assert.All(root.GetProperty("components").EnumerateArray(), component => Assert.Equal("v1", component.GetProperty("version").GetString()));
        Assert.False(root.TryGetProperty("appConnectionProperties", out _), "a sidecar without an app port has no app connection");
    }

    [Fact]
    public async Task Metadata_AppPortSet_HttpAndGrpcReportTheSameAppConnectionAndVersion()
    {
        await using var app = await SubscriberApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("dapr-metadata-app", appPort: app.Port);
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using var closing = channel;

        var grpc = await dapr.GetMetadataAsync(new GetMetadataRequest());
        using var body = JsonDocument.Parse(await sidecar.Http.GetStringAsync(Path("/v1.0/metadata")));
        var http = body.RootElement.GetProperty("appConnectionProperties");

        Assert.Equal(app.Port, grpc.AppConnectionProperties.Port);
        Assert.Equal("grpc", grpc.AppConnectionProperties.Protocol);
        Assert.Equal("127.0.0.1", grpc.AppConnectionProperties.ChannelAddress);
        Assert.Equal(grpc.AppConnectionProperties.Port, http.GetProperty("port").GetInt32());
        Assert.Equal(grpc.AppConnectionProperties.Protocol, http.GetProperty("protocol").GetString());
        Assert.Equal(grpc.AppConnectionProperties.ChannelAddress, http.GetProperty("channelAddress").GetString());
        Assert.Equal(body.RootElement.GetProperty("runtimeVersion").GetString(), grpc.RuntimeVersion);
        Assert.DoesNotContain("+", grpc.RuntimeVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_WithAStreamSubscription_ListsIt()
    {
        await using var sidecar = await TestSidecar.StartAsync("dapr-metadata-subs");
        using var call = sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new Protos.V1.SubscribeTopicEventsRequest { InitialRequest = new Protos.V1.SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = "orders" } });
        await call.ResponseStream.MoveNext(CancellationToken.None);

        using var body = JsonDocument.Parse(await sidecar.Http.GetStringAsync(Path("/v1.0/metadata")));

        var subscription = Assert.Single(body.RootElement.GetProperty("subscriptions").EnumerateArray());
        Assert.Equal("pubsub", subscription.GetProperty("pubsubname").GetString());
        Assert.Equal("orders", subscription.GetProperty("topic").GetString());
        await call.RequestStream.CompleteAsync();
    }
}
