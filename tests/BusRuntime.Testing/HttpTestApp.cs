using System.Collections.Concurrent;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace BusRuntime.Testing;

/// <summary>
/// An app served over HTTP on a real loopback port, as daprd's HTTP apps are: <c>GET /dapr/subscribe</c> answers
/// <see cref="Subscriptions"/>, every other request is recorded in <see cref="Received"/> and answered by
/// <see cref="Respond"/> (200 with no body by default).
/// </summary>
public sealed class HttpTestApp : IAsyncDisposable
{
    private readonly WebApplication app;

    private HttpTestApp(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The answer to GET /dapr/subscribe.</summary>
    public HttpTestAnswer Subscriptions { get; set; } = new(200, "[]", "application/json");

    /// <summary>The answer to GET /healthz, the default path of app health checks; such probes are not recorded.</summary>
    public HttpTestAnswer Health { get; set; } = HttpTestAnswer.Ok;

    /// <summary>How many times the app was asked GET /dapr/subscribe.</summary>
    public int SubscribeCalls => subscribeCalls;

    /// <summary>Every other request received, in arrival order.</summary>
    public ConcurrentQueue<ReceivedHttpRequest> Received { get; } = new();

    public Func<ReceivedHttpRequest, HttpTestAnswer> Respond { get; set; } = _ => HttpTestAnswer.Ok;

    private int subscribeCalls;

    /// <summary>Starts the app on a free port, or on <paramref name="port"/> (for an app that starts after its sidecar).</summary>
    public static Task<HttpTestApp> StartAsync(int? port = null) => FreePort.StartAsync(async () =>
    {
        var chosen = port ?? FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(chosen, listen => listen.Protocols = HttpProtocols.Http1));
        var web = builder.Build();
        var testApp = new HttpTestApp(web, chosen);
        web.Run(testApp.HandleAsync);
        try
        {
            await web.StartAsync();
        }
        catch
        {
            await web.DisposeAsync();
            throw;
        }

        return testApp;
    });

    /// <summary>Subscriptions as daprd's JSON, from anonymous objects.</summary>
    public void Subscribe(params object[] subscriptions) =>
        Subscriptions = new HttpTestAnswer(200, System.Text.Json.JsonSerializer.Serialize(subscriptions), "application/json");

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived, or fails after <paramref name="timeout"/>.</summary>
    public Task WaitForAsync(int count, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => Received.Count >= count, timeout ?? TimeSpan.FromSeconds(15), () => $"{Received.Count} requests arrived, expected {count}.");

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        HttpTestAnswer answer;
        if (request.Method == "GET" && request.Path == "/dapr/subscribe")
        {
            Interlocked.Increment(ref subscribeCalls);
            answer = Subscriptions;
        }
        else if (request.Method == "GET" && request.Path == "/healthz")
        {
            answer = Health;
        }
        else
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.RequestAborted);
            var received = new ReceivedHttpRequest(
                request.Method,
                request.Path.Value ?? "",
                request.QueryString.Value ?? "",
                request.Headers.ToDictionary(header => header.Key.ToLowerInvariant(), header => header.Value.ToString()),
                request.ContentType,
                body.ToArray());
            Received.Enqueue(received);
            answer = Respond(received);
        }

        context.Response.StatusCode = answer.StatusCode;
        foreach (var (key, value) in answer.Headers)
        {
            context.Response.Headers.Append(key, value);
        }

        if (answer.ContentType is not null)
        {
            context.Response.ContentType = answer.ContentType;
        }

        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
