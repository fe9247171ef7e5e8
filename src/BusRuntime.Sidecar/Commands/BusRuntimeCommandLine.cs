using System.CommandLine;

namespace BusRuntime.Sidecar.Commands;

/// <summary>The busruntime command line: <c>run</c> starts a sidecar; operator commands join it here.</summary>
public static class BusRuntimeCommandLine
{
    public static RootCommand Create() => new(
        "BusRuntime: an application runtime sidecar. Apps call it over gRPC for pub/sub and other distributed " +
        "primitives; every message crosses one MassTransit bus (in-memory, or RabbitMQ).\n\n" +
        "Start a sidecar on the embedded in-memory bus (nothing to install):\n  busruntime run --app-id orders\n" +
        "Start one on RabbitMQ:\n  busruntime run --app-id orders --transport RabbitMq --rabbitmq amqp://guest:guest@127.0.0.1:5672/\n" +
        "Every flag is also a configuration key (appsettings.json, --config FILE) and an environment variable (BusRuntime__AppId).")
    {
        RunCommand.Create(),
    };
}
