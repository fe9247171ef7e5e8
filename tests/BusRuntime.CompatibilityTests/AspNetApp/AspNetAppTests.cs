using System.Net;
using System.Net.Http.Json;
using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr.Client;

#pragma warning disable CS0618 // InvokeMethodAsync is obsolete in the SDK, yet apps still call it: that is what is tested.

namespace BusRuntime.CompatibilityTests.AspNetApp;

/// <summary>
/// An ASP.NET Core app built with Dapr.AspNetCore, unchanged, behind the sidecar started as daprd would be with
/// <c>--app-protocol http</c>: its [Topic] routes get the events, its endpoints the invocations.
/// </summary>
public sealed class AspNetAppTests
{
    private static Task<TestSidecar> StartSidecarAsync(string appId, AspNetDaprApp app) =>
        TestSidecar.StartAsync(appId, new Dictionary<string, string?> { ["BusRuntime:AppProtocol"] = "http" }, app.Port);

    [Fact]
    public async Task PublishEvent_RoutingRuleMatchesTheType_GoesToItsRouteAndOthersToTheDefault()
    {
        await using var app = await AspNetDaprApp.StartAsync();
        await using var sidecar = await StartSidecarAsync("aspnet-routes", app);
        await sidecar.WaitForSubscriptionsAsync(4);
        using var dapr = SdkClients.For(sidecar);

        await dapr.PublishEventAsync("pubsub", "routed", new AppOrder("urgent", 1), new Dictionary<string, string> { ["cloudevent.type"] = "priority" });
        await dapr.PublishEventAsync("pubsub", "routed", new AppOrder("plain", 1));

        await app.WaitForEventsAsync(2, TimeSpan.FromSeconds(30));
        var byOrder = app.Received.ToDictionary(received => received.Order.Id, received => received.Route);
        Assert.Equal("priority", byOrder["urgent"]);
        Assert.Equal("routed", byOrder["plain"]);
    }

    [Fact]
    public async Task PublishEvent_RouteAnswers404_TheEventGoesToTheDeadLetterTopic()
    {
        await using var app = await AspNetDaprApp.StartAsync();
        await using var sidecar = await StartSidecarAsync("aspnet-dead", app);
        await sidecar.WaitForSubscriptionsAsync(4);
        using var dapr = SdkClients.For(sidecar);

        await dapr.PublishEventAsync("pubsub", AspNetDaprApp.DoomedTopic, new AppOrder("lost", 5));

        await app.WaitForEventsAsync(1, TimeSpan.FromSeconds(30));
        Assert.Equal(("dead", new AppOrder("lost", 5)), Assert.Single(app.Received));
    }

    [Fact]
    public async Task InvokeMethod_Get_TheAppsJsonWithQueryAndCallerAppId()
    {
        await using var app = await AspNetDaprApp.StartAsync();
        await using var sidecar = await StartSidecarAsync("aspnet-hello", app);
        await sidecar.WaitUntilServingInvocationsAsync();
        using var dapr = SdkClients.For(sidecar);

        var greeting = await dapr.InvokeMethodAsync<AppGreeting>(HttpMethod.Get, "aspnet-hello", "hello/ann?lang=fr");

        Assert.Equal(new AppGreeting("hello ann", "fr", "aspnet-hello"), greeting);
    }

    [Fact]
    public async Task InvokeOverHttp_AppAnswers201WithAHeader_TheCallerGetsStatusHeaderAndBodyUnchanged()
    {
        await using var app = await AspNetDaprApp.StartAsync();
        await using var sidecar = await StartSidecarAsync("aspnet-create", app);
        await sidecar.WaitUntilServingInvocationsAsync();

        using var response = await sidecar.Http.PostAsJsonAsync("/v1.0/invoke/aspnet-create/method/orders/create", new AppOrder("n-1", 1));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("primary", Assert.Single(response.Headers.GetValues("x-order-store")));
        Assert.Equal(new AppOrder("n-1", 2), await response.Content.ReadFromJsonAsync<AppOrder>());
    }

    [Fact]
    public async Task InvokeMethod_AppAnswers409_TheSdkThrowsWithTheAppsStatus()
    {
        await using var app = await AspNetDaprApp.StartAsync();
        await using var sidecar = await StartSidecarAsync("aspnet-reject", app);
        await sidecar.WaitUntilServingInvocationsAsync();
        using var dapr = SdkClients.For(sidecar);

        var error = await Assert.ThrowsAsync<InvocationException>(() =>
            dapr.InvokeMethodAsync<AppOrder, AppOrder>("aspnet-reject", "orders/reject", new AppOrder("x", 1)));

        Assert.Equal(HttpStatusCode.Conflict, error.Response!.StatusCode);
        Assert.Contains("out of stock", await error.Response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
