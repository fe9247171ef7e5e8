using System.Text.Json;
using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Sidecar.Tests.Dapr;
using BusRuntime.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using InvokeRequest = BusRuntime.Protos.Dapr.Common.V1.InvokeRequest;
using PublishEventRequest = BusRuntime.Protos.V1.PublishEventRequest;

namespace BusRuntime.Sidecar.Tests.HttpApp;

public sealed class AppHealthTests
{
    private static readonly Dictionary<string, string?> FastProbes = new()
    {
        ["BusRuntime:AppHealth:Enabled"] = "true",
        ["BusRuntime:AppHealth:ProbeInterval"] = "00:00:00.050",
        ["BusRuntime:AppHealth:ProbeTimeout"] = "00:00:00.040",
        ["BusRuntime:AppHealth:Threshold"] = "2",
    };

    [Fact]
    public async Task Probe_HttpAppTurnsUnhealthy_SubscriptionsPauseInvocationsFailAndBothResumeWhenHealthy()
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Subscribe(new { pubsubname = "pubsub", topic = "health", route = "/health-events" });
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port, FastProbes);
        await sidecar.WaitForSubscriptionsAsync(1);
        await sidecar.WaitUntilServingInvocationsAsync();
        var subscriptions = sidecar.Services.GetRequiredService<Core.Subscriptions.TopicSubscriptions>();

        app.Health = new HttpTestAnswer(500);
        await Poll.UntilAsync(() => subscriptions.List().Count == 0, TimeSpan.FromSeconds(15), sidecar.Log.Tail);
        var unhealthy = sidecar.Log.Problems().First(problem => problem.EventId == 1972);
        Assert.Contains("GET /healthz answered status 500", unhealthy.Message, StringComparison.Ordinal);
        await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "health", Data = ByteString.CopyFromUtf8("{}") });
        using (var refused = await sidecar.Http.PostAsync(new Uri("/v1.0/invoke/shop/method/ping", UriKind.Relative), new StringContent("x")))
        {
            Assert.False(refused.IsSuccessStatusCode);
            Assert.Contains("app 'shop' is unhealthy: GET /healthz answered status 500", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await Task.Delay(300);
        Assert.Empty(app.Received);

        app.Health = HttpTestAnswer.Ok;
        await sidecar.WaitForSubscriptionsAsync(1);
        await app.WaitForAsync(1);
        Assert.Equal("/health-events", Assert.Single(app.Received).Path);
        using var served = await sidecar.Http.PostAsync(new Uri("/v1.0/invoke/shop/method/ping", UriKind.Relative), new StringContent("x"));
        Assert.True(served.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Start_AppUnhealthy_SubscriptionsNotAskedUntilItIsHealthy()
    {
        await using var app = await HttpTestApp.StartAsync();
        app.Health = new HttpTestAnswer(503);
        app.Subscribe(new { pubsubname = "pubsub", topic = "later", route = "/later" });
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port, FastProbes);

        await Task.Delay(500);
        Assert.Equal(0, app.SubscribeCalls);
        app.Health = HttpTestAnswer.Ok;

        await sidecar.WaitForSubscriptionsAsync(1);
        Assert.Equal(1, app.SubscribeCalls);
    }

    [Fact]
    public async Task GetMetadata_HealthChecksOn_AppConnectionShowsThemAsDaprDoes()
    {
        await using var app = await HttpTestApp.StartAsync();
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port, FastProbes);

        using var metadata = JsonDocument.Parse(await sidecar.Http.GetStringAsync(new Uri("/v1.0/metadata", UriKind.Relative)));
        var health = metadata.RootElement.GetProperty("appConnectionProperties").GetProperty("health");
        Assert.Equal("/healthz", health.GetProperty("healthCheckPath").GetString());
        Assert.Equal("50ms", health.GetProperty("healthProbeInterval").GetString());
        Assert.Equal("40ms", health.GetProperty("healthProbeTimeout").GetString());
        Assert.Equal(2, health.GetProperty("healthThreshold").GetInt32());
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using (channel)
        {
            var grpc = await dapr.GetMetadataAsync(new GetMetadataRequest());
            Assert.Equal("50ms", grpc.AppConnectionProperties.Health.HealthProbeInterval);
            Assert.Equal(2, grpc.AppConnectionProperties.Health.HealthThreshold);
        }
    }

    [Fact]
    public async Task Probe_GrpcAppFailsHealthCheck_InvocationsFailUnavailableNamingTheReason()
    {
        var healthCheck = new HealthCheckApp();
        var (web, port) = await GrpcAppHost.StartAsync(healthCheck);
        await using (web)
        {
            // Wider than FastProbes: a gRPC probe opens an HTTP/2 connection first, which a loaded machine may take a while for.
            var settings = new Dictionary<string, string?>(FastProbes)
            {
                ["BusRuntime:AppHealth:ProbeInterval"] = "00:00:00.200",
                ["BusRuntime:AppHealth:ProbeTimeout"] = "00:00:00.150",
            };
            await using var sidecar = await TestSidecar.StartAsync("grpc-health", settings, port);
            await sidecar.WaitUntilServingInvocationsAsync();
            var health = sidecar.Services.GetRequiredService<Core.Health.AppHealth>();
            await Poll.UntilAsync(() => health.IsHealthy, TimeSpan.FromSeconds(15), sidecar.Log.Tail);
            Assert.True(healthCheck.Calls > 0);
            healthCheck.Healthy = false;
            await Poll.UntilAsync(() => sidecar.Log.Problems().Any(problem => problem.EventId == 1972), TimeSpan.FromSeconds(15), sidecar.Log.Tail);

            var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
            using (channel)
            {
                var failure = await Assert.ThrowsAsync<RpcException>(() => dapr.InvokeServiceAsync(
                    new InvokeServiceRequest { Id = "grpc-health", Message = new InvokeRequest { Method = "ping" } },
                    deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

                Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
                Assert.Contains("app 'grpc-health' is unhealthy: AppCallbackHealthCheck.HealthCheck failed: Unavailable", failure.Status.Detail, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Probe_GrpcAppTurnsUnhealthy_SubscriptionsPauseAndResumeWhenHealthy()
    {
        var healthCheck = new HealthCheckApp();
        var topics = new TopicApp();
        var (web, port) = await GrpcAppHost.StartAsync(topics, healthCheck);
        await using (web)
        {
            var settings = new Dictionary<string, string?>(FastProbes)
            {
                ["BusRuntime:AppHealth:ProbeInterval"] = "00:00:00.200",
                ["BusRuntime:AppHealth:ProbeTimeout"] = "00:00:00.150",
            };
            await using var sidecar = await TestSidecar.StartAsync("grpc-paused", settings, port);
            await sidecar.WaitForSubscriptionsAsync(1);
            var subscriptions = sidecar.Services.GetRequiredService<Core.Subscriptions.TopicSubscriptions>();

            healthCheck.Healthy = false;
            await Poll.UntilAsync(() => subscriptions.List().Count == 0, TimeSpan.FromSeconds(15), sidecar.Log.Tail);
            await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "health", Data = ByteString.CopyFromUtf8("{}") });
            await Task.Delay(300);
            Assert.Empty(topics.Received);

            healthCheck.Healthy = true;
            await sidecar.WaitForSubscriptionsAsync(1);
            await Poll.UntilAsync(() => !topics.Received.IsEmpty, TimeSpan.FromSeconds(15), sidecar.Log.Tail);
            Assert.Equal("health", Assert.Single(topics.Received).Topic);
            Assert.Equal(1, topics.ListCalls);
        }
    }

    private sealed class TopicApp : Protos.Dapr.Runtime.V1.AppCallback.AppCallbackBase
    {
        private int listCalls;

        public System.Collections.Concurrent.ConcurrentQueue<TopicEventRequest> Received { get; } = new();

        public int ListCalls => Volatile.Read(ref listCalls);

        public override Task<ListTopicSubscriptionsResponse> ListTopicSubscriptions(Empty request, ServerCallContext context)
        {
            Interlocked.Increment(ref listCalls);
            return Task.FromResult(new ListTopicSubscriptionsResponse { Subscriptions = { new TopicSubscription { PubsubName = "pubsub", Topic = "health" } } });
        }

        public override Task<TopicEventResponse> OnTopicEvent(TopicEventRequest request, ServerCallContext context)
        {
            Received.Enqueue(request);
            return Task.FromResult(new TopicEventResponse());
        }
    }

    private sealed class HealthCheckApp : AppCallbackHealthCheck.AppCallbackHealthCheckBase
    {
        private int calls;

        public volatile bool Healthy = true;

        public int Calls => Volatile.Read(ref calls);

        public override Task<HealthCheckResponse> HealthCheck(Empty request, ServerCallContext context)
        {
            Interlocked.Increment(ref calls);
            return Healthy ? Task.FromResult(new HealthCheckResponse()) : throw new RpcException(new Status(StatusCode.Unavailable, "not ready"));
        }
    }
}
