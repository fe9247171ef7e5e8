using System.Collections.Concurrent;
using System.Net;
using BusRuntime.Core.Bindings;
using BusRuntime.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Sidecar.Tests.Bindings;

/// <summary>
/// Input bindings to an HTTP app (BusRuntime:AppProtocol http), as daprd calls one: OPTIONS on the binding's route first
/// (unless its direction is input), then each event POSTed there. The app is Kestrel on a loopback port.
/// </summary>
public sealed class HttpInputBindingTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Method, string Path, string? ContentType, string? ReadTime)> calls = new();
    private WebApplication? app;
    private int port;

    /// <summary>The status the app answers OPTIONS with.</summary>
    private HttpStatusCode probeAnswer = HttpStatusCode.OK;

    public async Task InitializeAsync() =>
        (app, port) = await FreePort.StartAsync(async () =>
        {
            var appPort = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{appPort}");
            var web = builder.Build();
            web.Run(context =>
            {
                // The sidecar of an HTTP app also asks for its subscriptions: this app has none (404, as daprd reads it).
                if (context.Request.Path == "/dapr/subscribe")
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                calls.Enqueue((context.Request.Method, context.Request.Path.Value ?? "", context.Request.ContentType, context.Request.Headers["readTimeUTC"].FirstOrDefault()));
                context.Response.StatusCode = (int)(HttpMethods.IsOptions(context.Request.Method) ? probeAnswer : HttpStatusCode.OK);
                return Task.CompletedTask;
            });
            await web.StartAsync();
            return (web, appPort);
        });

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Cron_AppAnswersTheProbe_ProbedThenTicksPostedToTheBindingsName()
    {
        await using var sidecar = await TestSidecar.StartAsync("http-cron", Settings(), port);

        await Poll.UntilAsync(() => calls.Count(call => call.Method == "POST") >= 2, TimeSpan.FromSeconds(30), Describe);

        var first = calls.First();
        Assert.Equal(("OPTIONS", "/ticker"), (first.Method, first.Path));
        var tick = calls.First(call => call.Method == "POST");
        Assert.Equal(("/ticker", "application/json"), (tick.Path, tick.ContentType));
        Assert.EndsWith("+0000 UTC", tick.ReadTime, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cron_Route_ProbedAndPostedThere()
    {
        var settings = Settings();
        settings["BusRuntime:Components:0:Metadata:route"] = "/jobs/tick";
        await using var sidecar = await TestSidecar.StartAsync("http-cron-route", settings, port);

        await Poll.UntilAsync(() => calls.Any(call => call.Method == "POST"), TimeSpan.FromSeconds(30), Describe);

        Assert.All(calls, call => Assert.Equal("/jobs/tick", call.Path));
    }

    [Fact]
    public async Task Cron_ProbeAnswered405_TakenAsDaprd()
    {
        probeAnswer = HttpStatusCode.MethodNotAllowed;
        await using var sidecar = await TestSidecar.StartAsync("http-cron-405", Settings(), port);

        await Poll.UntilAsync(() => calls.Any(call => call.Method == "POST"), TimeSpan.FromSeconds(30), Describe);
    }

    [Fact]
    public async Task Cron_ProbeAnswered404_NotRead()
    {
        probeAnswer = HttpStatusCode.NotFound;
        await using var sidecar = await TestSidecar.StartAsync("http-cron-404", Settings(), port);
        await Poll.UntilAsync(() => calls.Any(), TimeSpan.FromSeconds(30), Describe);

        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.Empty(sidecar.Services.GetRequiredService<InputBindings>().Reading);
        Assert.DoesNotContain(calls, call => call.Method == "POST");
    }

    [Fact]
    public async Task Cron_DirectionInput_PostedWithoutAProbe()
    {
        var settings = Settings();
        settings["BusRuntime:Components:0:Metadata:direction"] = "input";
        await using var sidecar = await TestSidecar.StartAsync("http-cron-input", settings, port);

        await Poll.UntilAsync(() => calls.Any(call => call.Method == "POST"), TimeSpan.FromSeconds(30), Describe);

        Assert.DoesNotContain(calls, call => call.Method == "OPTIONS");
    }

    [Fact]
    public async Task Cron_BadDirection_StartUpFailsNamingIt()
    {
        var settings = Settings();
        settings["BusRuntime:Components:0:Metadata:direction"] = "inbound";

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestSidecar.StartAsync("http-cron-bad", settings, port));

        Assert.Contains("BusRuntime:Components[ticker]:Metadata:direction 'inbound' must be input, output", error.ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings() => new()
    {
        ["BusRuntime:AppProtocol"] = "http",
        ["BusRuntime:Components:0:Name"] = "ticker",
        ["BusRuntime:Components:0:Type"] = "bindings.cron",
        ["BusRuntime:Components:0:Metadata:schedule"] = "@every 1s",
    };

    private string Describe() => $"the app got: {string.Join(", ", calls.Select(call => $"{call.Method} {call.Path}"))}";
}
