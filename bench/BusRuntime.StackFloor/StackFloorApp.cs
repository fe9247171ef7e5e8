using System.Net;
using BusRuntime.Contracts;
using MassTransit;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace BusRuntime.StackFloor;

/// <summary>
/// One web host as the sidecar has it — gRPC on one loopback port (PublishEvent, SaveState, GetState and reflection), HTTP
/// on another, a started MassTransit bus (RabbitMQ, or in memory) answering invocations, readiness at the sidecar's
/// /actuator/health/readiness, and the two runtime counters the benchmarks read from /metrics — and nothing else: no
/// stores, journal, telemetry or other APIs. What the sidecar costs above this is BusRuntime's; this much is the stack's.
/// </summary>
public static class StackFloorApp
{
    // The sidecar's default BusRuntime:Invoke:ConcurrentRequests: how many invocations its app's queue hands it at once.
    private const int SidecarConcurrentRequests = 64;

    public static async Task<int> RunAsync(string[] args)
    {
        StackFloorSettings settings;
        try
        {
            settings = StackFloorSettings.Parse(args);
        }
        catch (ArgumentException invalid)
        {
            await Console.Error.WriteLineAsync($"busruntime-stackfloor: {invalid.Message}{Environment.NewLine}{StackFloorSettings.Usage}");
            return 2;
        }

        var builder = WebApplication.CreateSlimBuilder();

        // As the sidecar's appsettings.json has it for the libraries: no log line per request or message, and none
        // for each readiness poll that finds the bus not started yet.
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<FloorState>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, settings.GrpcPort, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, settings.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddGrpc();
        builder.Services.AddGrpcReflection();
        builder.Services.AddHealthChecks();
        builder.Services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.AddConsumer<InvokeEchoConsumer>();
            if (settings.RabbitMq is not { } broker)
            {
                bus.UsingInMemory((context, inMemory) => inMemory.ReceiveEndpoint(
                    InvokeNames.Queue(settings.AppId), endpoint => endpoint.ConfigureConsumer<InvokeEchoConsumer>(context)));
                return;
            }

            bus.UsingRabbitMq((context, rabbitMq) =>
            {
                rabbitMq.Host(broker, host => host.ConnectionName($"busruntime-stackfloor {settings.AppId}"));

                // The queue the sidecars' invocations of this app id go to, declared as the sidecar declares it.
                rabbitMq.ReceiveEndpoint(InvokeNames.Queue(settings.AppId), endpoint =>
                {
                    endpoint.ConfigureConsumeTopology = false;
                    endpoint.PublishFaults = false;
                    endpoint.PrefetchCount = SidecarConcurrentRequests;
                    endpoint.ConcurrentMessageLimit = SidecarConcurrentRequests;
                    endpoint.Durable = true;
                    endpoint.AutoDelete = true;
                    endpoint.Bind(InvokeNames.Exchange(settings.AppId));
                    endpoint.ConfigureConsumer<InvokeEchoConsumer>(context);
                });
            });
        });

        var app = builder.Build();
        app.MapGrpcService<FloorRuntime>();
        app.MapGrpcReflectionService();
        app.MapGet("/metrics", RuntimeCountersText.Write);
        app.MapHealthChecks("/actuator/health/readiness", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),

            // Ready only when every endpoint is, as the sidecar's readiness: MassTransit reports Degraded while some are not.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        await app.RunAsync();
        return 0;
    }
}
