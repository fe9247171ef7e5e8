using System.Net;
using System.Net.Sockets;
using System.Text;
using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Core.Bindings;
using BusRuntime.Testing;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>bindings.cron to a gRPC app written on Dapr's AppCallbackBase: ListInputBindings asked at start, ticks through OnBindingEvent.</summary>
public sealed class CronBindingTests(StateBackendsFixture servers) : IClassFixture<StateBackendsFixture>
{
    [Fact]
    public async Task EverySecond_AppListsIt_TicksArriveWithDaprsMetadataAndNoData()
    {
        await using var app = await DaprBindingApp.StartAsync("ticker");
        await using var sidecar = await TestSidecar.StartAsync("cron-app", Cron("ticker", "@every 1s"), app.Port);

        await app.WaitForEventsAsync(2, TimeSpan.FromSeconds(30));

        var tick = app.Events.First();
        Assert.Equal("ticker", tick.Name);
        Assert.True(tick.Data.IsEmpty);
        Assert.True(DateTime.TryParse(tick.Metadata["readTimeUTC"].Replace(" +0000 UTC", "Z", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture, out _), tick.Metadata["readTimeUTC"]);
        Assert.False(string.IsNullOrEmpty(tick.Metadata["timeZone"]));
        Assert.Equal(1, app.Listed);
    }

    [Fact]
    public async Task EverySecond_AppDoesNotListIt_NotRead()
    {
        await using var app = await DaprBindingApp.StartAsync("other");
        await using var sidecar = await TestSidecar.StartAsync("cron-app-unlisted", Cron("ticker", "@every 1s"), app.Port);
        var inputs = sidecar.Services.GetRequiredService<InputBindings>();
        await Poll.UntilAsync(() => app.Listed > 0, TimeSpan.FromSeconds(30), () => "the sidecar never asked ListInputBindings");

        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.Empty(inputs.Reading);
        Assert.Empty(app.Events);
    }

    [Fact]
    public async Task DirectionInput_AppDoesNotListIt_ReadWithoutAsking()
    {
        await using var app = await DaprBindingApp.StartAsync();
        var settings = Cron("ticker", "@every 1s");
        settings["BusRuntime:Components:0:Metadata:direction"] = "input";
        await using var sidecar = await TestSidecar.StartAsync("cron-app-direction", settings, app.Port);

        await app.WaitForEventsAsync(1, TimeSpan.FromSeconds(30));

        Assert.Equal(0, app.Listed);
    }

    [Fact]
    public async Task EverySecond_AppAnswersToAndData_DataSentToThoseOutputBindingsAsDaprd()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var target = new HttpListener();
        target.Prefixes.Add($"http://127.0.0.1:{port}/");
        target.Start();
        await using var app = await DaprBindingApp.StartAsync("ticker");
        app.Respond = _ =>
        {
            var answer = new BindingEventResponse { Data = ByteString.CopyFromUtf8("{\"n\":1}") };
            answer.To.Add("webhook");
            return Task.FromResult(answer);
        };
        var settings = Cron("ticker", "@every 1s");
        settings["BusRuntime:Components:1:Name"] = "webhook";
        settings["BusRuntime:Components:1:Type"] = "bindings.http";
        settings["BusRuntime:Components:1:Metadata:url"] = $"http://127.0.0.1:{port}/hooks";
        await using var sidecar = await TestSidecar.StartAsync("cron-app-to", settings, app.Port);

        var context = await target.GetContextAsync().WaitAsync(TimeSpan.FromSeconds(30));
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        context.Response.Close();

        Assert.Equal(("POST", "/hooks", "{\"n\":1}"), (context.Request.HttpMethod, context.Request.Url!.AbsolutePath, body));
    }

    [Fact]
    public async Task BadSchedule_StartUpFailsNamingTheComponentAndField()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestSidecar.StartAsync("cron-bad", Cron("ticker", "@every soon")));

        Assert.Contains("BusRuntime:Components[ticker]:Metadata:schedule '@every soon'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EverySecond_TwoSidecarsOfOneAppOnPostgres_EachTickOnce()
    {
        await servers.Postgres.EnsureReachableAsync();
        var schema = servers.Postgres.NewSchema();
        var appId = $"cron-{Guid.NewGuid():N}";
        await using var first = await DaprBindingApp.StartAsync("ticker");
        await using var second = await DaprBindingApp.StartAsync("ticker");
        await using var one = await TestSidecar.StartAsync(appId, OnPostgres(schema), first.Port);
        await using var two = await TestSidecar.StartAsync(appId, OnPostgres(schema), second.Port);
        await Poll.UntilAsync(() => first.Listed > 0 && second.Listed > 0, TimeSpan.FromSeconds(30), () => $"ListInputBindings asked {first.Listed} and {second.Listed} times");

        await Poll.UntilAsync(() => first.Events.Count + second.Events.Count >= 6, TimeSpan.FromSeconds(60), () => $"{first.Events.Count} + {second.Events.Count} ticks");

        // readTimeUTC is the tick's time: a tick both replicas delivered would appear twice.
        var ticks = first.Events.Concat(second.Events).Select(tick => tick.Metadata["readTimeUTC"]).ToList();
        Assert.Equal(ticks.Count, ticks.Distinct(StringComparer.Ordinal).Count());
    }

    private static Dictionary<string, string?> Cron(string name, string schedule) => new()
    {
        ["BusRuntime:Components:0:Name"] = name,
        ["BusRuntime:Components:0:Type"] = "bindings.cron",
        ["BusRuntime:Components:0:Metadata:schedule"] = schedule,
    };

    private static Dictionary<string, string?> OnPostgres(string schema)
    {
        var settings = Cron("ticker", "@every 1s");
        settings["BusRuntime:Components:1:Name"] = "lockstore";
        settings["BusRuntime:Components:1:Type"] = "lock.postgresql";
        settings["BusRuntime:Components:1:Metadata:connectionString"] = PostgresServer.ConnectionString;
        settings["BusRuntime:Components:1:Metadata:schema"] = schema;
        return settings;
    }
}
