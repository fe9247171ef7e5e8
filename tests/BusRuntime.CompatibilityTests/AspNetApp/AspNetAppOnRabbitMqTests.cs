using System.Net;
using System.Net.Http.Json;
using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr.Client;

#pragma warning disable CS0618 // InvokeMethodAsync is obsolete in the SDK, yet apps still call it: that is what is tested.

namespace BusRuntime.CompatibilityTests.AspNetApp;

/// <summary>
/// The Dapr.AspNetCore app behind its own sidecar, called by another app's sidecar across RabbitMQ: both sidecars
/// started as daprd would be, with the pub/sub declared in a component file (<c>--resources-path</c>), the app's
/// with <c>--app-protocol http</c>.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class AspNetAppOnRabbitMqTests(BrokerFixture broker)
{
    private static readonly string[] AppTopics = ["orders", "routed", AspNetDaprApp.DoomedTopic, AspNetDaprApp.DeadLetterTopic];

    [Fact]
    public async Task PublishEvent_FromAnotherAppsSidecar_RulesRouteItAndA404SendsItToTheDeadLetterTopic()
    {
        var appId = BrokerFixture.UniqueAppId("aspnet-rq-sub");
        using var components = DaprComponentsDirectory.WithRabbitMqPubSub();
        try
        {
            await using var app = await AspNetDaprApp.StartAsync();
            await using var appSidecar = await TestSidecar.StartAsync(appId, components.HttpAppSettings(), app.Port);
            await appSidecar.WaitForSubscriptionsAsync(AppTopics.Length);
            await using var publisherSidecar = await TestSidecar.StartAsync(BrokerFixture.UniqueAppId("aspnet-rq-pub"), components.Settings());
            using var dapr = SdkClients.For(publisherSidecar);

            await dapr.PublishEventAsync("pubsub", "routed", new AppOrder("urgent", 1), new Dictionary<string, string> { ["cloudevent.type"] = "priority" });
            await dapr.PublishEventAsync("pubsub", "routed", new AppOrder("plain", 2));
            await dapr.PublishEventAsync("pubsub", AspNetDaprApp.DoomedTopic, new AppOrder("lost", 3));

            await app.WaitForEventsAsync(3, TimeSpan.FromSeconds(60));
            var routes = app.Received.ToDictionary(received => received.Order, received => received.Route);
            Assert.Equal("priority", routes[new AppOrder("urgent", 1)]);
            Assert.Equal("routed", routes[new AppOrder("plain", 2)]);
            Assert.Equal("dead", routes[new AppOrder("lost", 3)]);
        }
        finally
        {
            foreach (var topic in AppTopics)
            {
                await broker.DeleteSubscriptionEntitiesAsync(appId, "pubsub", topic);
            }
        }
    }

    [Fact]
    public async Task InvokeMethod_FromAnotherAppsSidecar_TheAppSeesTheCallerAndItsAnswerComesBackUnchanged()
    {
        var appId = BrokerFixture.UniqueAppId("aspnet-rq-app");
        var callerId = BrokerFixture.UniqueAppId("aspnet-rq-call");
        using var components = DaprComponentsDirectory.WithRabbitMqPubSub();
        try
        {
            await using var app = await AspNetDaprApp.StartAsync();
            await using var appSidecar = await TestSidecar.StartAsync(appId, components.HttpAppSettings(), app.Port);
            await appSidecar.WaitUntilServingInvocationsAsync();
            await using var callerSidecar = await TestSidecar.StartAsync(callerId, components.Settings());
            using var dapr = SdkClients.For(callerSidecar);

            var greeting = await dapr.InvokeMethodAsync<AppGreeting>(HttpMethod.Get, appId, "hello/ann?lang=fr");
            using var created = await callerSidecar.Http.PostAsJsonAsync($"/v1.0/invoke/{appId}/method/orders/create", new AppOrder("n-1", 1));
            var rejected = await Assert.ThrowsAsync<InvocationException>(() => dapr.InvokeMethodAsync<AppOrder, AppOrder>(appId, "orders/reject", new AppOrder("x", 1)));

            Assert.Equal(new AppGreeting("hello ann", "fr", callerId), greeting);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal("primary", Assert.Single(created.Headers.GetValues("x-order-store")));
            Assert.Equal(new AppOrder("n-1", 2), await created.Content.ReadFromJsonAsync<AppOrder>());
            Assert.Equal(HttpStatusCode.Conflict, rejected.Response!.StatusCode);
        }
        finally
        {
            await broker.DeleteInvokeEntitiesAsync(appId);
        }
    }
}
