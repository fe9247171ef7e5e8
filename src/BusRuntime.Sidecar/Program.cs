using System.CommandLine;
using BusRuntime.Sidecar.Commands;

var root = new RootCommand(
    "BusRuntime: an application runtime sidecar. Apps call it over gRPC for pub/sub and other distributed " +
    "primitives; every message crosses one MassTransit bus (in-memory, or RabbitMQ).\n\n" +
    "Start a sidecar on the embedded in-memory bus:\n  busruntime run --app-id orders\n" +
    "Start one on RabbitMQ:\n  busruntime run --app-id orders --transport RabbitMq --rabbitmq amqp://guest:guest@127.0.0.1:5672/")
{
    RunCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
