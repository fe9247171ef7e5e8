using System.Collections.Concurrent;
using System.Net.Http.Json;
using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>
/// An ASP.NET Core app written as a Dapr user writes one on Dapr.AspNetCore 1.18.7 (<c>UseCloudEvents</c>,
/// <c>MapSubscribeHandler</c>, routes with <c>WithTopic</c>), on a sidecar started with <c>--app-protocol http</c>.
/// </summary>
public sealed class AspNetCoreAppTests
{
    [Fact]
    public async Task PublishEvent_AspNetCoreAppWithTopicRoute_HandlerGetsTheOrder()
    {
        var received = new ConcurrentQueue<Order>();
        await using var app = await StartAppAsync(received);
        await using var sidecar = await TestSidecar.StartAsync("aspnet-shop", new Dictionary<string, string?> { ["BusRuntime:AppProtocol"] = "http" }, app.Port);
        await sidecar.WaitForSubscriptionsAsync(1);
        using var dapr = SdkClients.For(sidecar);

        await dapr.PublishEventAsync("pubsub", "orders", new Order("o-1", 2));

        await Poll.UntilAsync(() => !received.IsEmpty, TimeSpan.FromSeconds(30), () => "the app's [Topic] route got no order");
        Assert.Equal(new Order("o-1", 2), Assert.Single(received));
    }

    [Fact]
    public async Task InvokeMethod_AspNetCoreApp_AnswerComesBack()
    {
        await using var app = await StartAppAsync(new ConcurrentQueue<Order>());
        await using var sidecar = await TestSidecar.StartAsync("aspnet-echo", new Dictionary<string, string?> { ["BusRuntime:AppProtocol"] = "http" }, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        using var http = Dapr.Client.DaprClient.CreateInvokeHttpClient("aspnet-echo", $"http://127.0.0.1:{sidecar.HttpPort}");

        using var response = await http.PostAsJsonAsync("/echo", new Order("o-2", 5));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Order("o-2", 10), await response.Content.ReadFromJsonAsync<Order>());
    }

    private static async Task<AspNetCoreApp> StartAppAsync(ConcurrentQueue<Order> received) =>
        await FreePort.StartAsync(async () =>
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port, listen => listen.Protocols = HttpProtocols.Http1));
            builder.Services.AddDaprClient();
            var web = builder.Build();
            web.UseCloudEvents();
            web.MapSubscribeHandler();
            web.MapPost("/orders", (Order order) =>
            {
                received.Enqueue(order);
                return Results.Ok();
            }).WithTopic("pubsub", "orders");
            web.MapPost("/echo", (Order order) => Results.Ok(order with { Quantity = order.Quantity * 2 }));
            await web.StartAsync();
            return new AspNetCoreApp(web, port);
        });

    public sealed record Order(string Id, int Quantity);

    private sealed class AspNetCoreApp(WebApplication web, int port) : IAsyncDisposable
    {
        public int Port => port;

        public async ValueTask DisposeAsync()
        {
            await web.StopAsync();
            await web.DisposeAsync();
        }
    }
}
