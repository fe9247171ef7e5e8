using System.Collections.Concurrent;
using BusRuntime.Testing;
using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BusRuntime.CompatibilityTests.Fixtures;

/// <summary>
/// An app written as a Dapr user writes an ASP.NET Core one, with Dapr.AspNetCore: <c>UseCloudEvents</c>,
/// <c>MapSubscribeHandler</c> and <c>[Topic]</c> on its routes, plain HTTP endpoints for invocation. It records
/// what reached each route. The sidecar calls it over HTTP (<c>--app-protocol http</c>).
/// </summary>
public sealed class AspNetDaprApp : IAsyncDisposable
{
    /// <summary>The topic whose route answers 404: Dapr drops the event, to its dead-letter topic.</summary>
    public const string DoomedTopic = "doomed";

    public const string DeadLetterTopic = "doomed-dead";

    private readonly WebApplication host;

    private AspNetDaprApp(WebApplication host, int port)
    {
        this.host = host;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Every event body (unwrapped from its CloudEvent by the SDK's middleware) by the route it reached.</summary>
    public ConcurrentQueue<(string Route, AppOrder Order)> Received { get; } = new();

    public static Task<AspNetDaprApp> StartAsync() =>
        FreePort.StartAsync(async () =>
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port));
            builder.Services.AddDaprClient();
            var host = builder.Build();
            var app = new AspNetDaprApp(host, port);
            app.Map(host);
            try
            {
                await host.StartAsync();
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }

            return app;
        });

    /// <summary>Waits until at least <paramref name="count"/> events have arrived, or fails after <paramref name="timeout"/>.</summary>
    public async Task WaitForEventsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Received.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Received.Count} events arrived, expected {count}.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync() => await host.DisposeAsync();

    private void Map(WebApplication app)
    {
        app.UseCloudEvents();
        app.MapSubscribeHandler();
        app.MapPost("/orders", [Topic("pubsub", "orders")] (AppOrder order) => Record("orders", order));
        app.MapPost("/priority", [Topic("pubsub", "routed", "event.type == \"priority\"", 1)] (AppOrder order) => Record("priority", order));
        app.MapPost("/routed", [Topic("pubsub", "routed")] (AppOrder order) => Record("routed", order));
        app.MapPost("/doomed", [Topic("pubsub", DoomedTopic, DeadLetterTopic, false)] (AppOrder order) => Results.NotFound());
        app.MapPost("/dead", [Topic("pubsub", DeadLetterTopic)] (AppOrder order) => Record("dead", order));
        app.MapGet("/hello/{name}", (string name, HttpRequest request) =>
            Results.Json(new AppGreeting($"hello {name}", request.Query["lang"].ToString(), request.Headers["dapr-caller-app-id"].ToString())));
        app.MapPost("/orders/create", (AppOrder order, HttpResponse response) =>
        {
            response.Headers["x-order-store"] = "primary";
            return Results.Json(order with { Quantity = order.Quantity + 1 }, statusCode: StatusCodes.Status201Created);
        });
        app.MapPost("/orders/reject", () => Results.Problem("out of stock", statusCode: StatusCodes.Status409Conflict));
    }

    private IResult Record(string route, AppOrder order)
    {
        Received.Enqueue((route, order));
        return Results.Ok();
    }
}
