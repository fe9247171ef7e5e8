using System.Globalization;

namespace BusRuntime.StackFloor;

/// <summary>
/// The stack floor's command line: the subset of the sidecar's <c>run</c> options the benchmarks pass, so they start
/// either program the same way (<c>run --app-id A --grpc-port P --http-port Q [--transport RabbitMq --rabbitmq URI]</c>).
/// Without --rabbitmq the bus is MassTransit's in-memory transport, as the sidecar's embedded default is.
/// </summary>
public sealed record StackFloorSettings(string AppId, int GrpcPort, int HttpPort, Uri? RabbitMq)
{
    public const string Usage =
        "usage: busruntime-stackfloor run --app-id <id> --grpc-port <port> --http-port <port> [--transport InMemory|RabbitMq] [--rabbitmq <amqp uri>]";

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming the option that is missing or wrong.</summary>
    public static StackFloorSettings Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0 || args[0] != "run")
        {
            throw new ArgumentException("the first argument must be 'run'.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var index = 1; index < args.Count; index += 2)
        {
            var name = args[index];
            if (name is not ("--app-id" or "--grpc-port" or "--http-port" or "--rabbitmq" or "--transport"))
            {
                throw new ArgumentException($"unknown option '{name}'.");
            }

            if (index + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            values[name] = args[index + 1];
        }

        var transport = values.GetValueOrDefault("--transport", values.ContainsKey("--rabbitmq") ? "RabbitMq" : "InMemory");
        if (transport is not ("InMemory" or "RabbitMq"))
        {
            throw new ArgumentException($"--transport '{transport}': the stack floor runs on InMemory or RabbitMq.");
        }

        if (transport == "InMemory")
        {
            return values.ContainsKey("--rabbitmq")
                ? throw new ArgumentException("--rabbitmq names a broker, but --transport is InMemory.")
                : new StackFloorSettings(Required(values, "--app-id"), Port(values, "--grpc-port"), Port(values, "--http-port"), null);
        }

        if (!Uri.TryCreate(Required(values, "--rabbitmq"), UriKind.Absolute, out var rabbitMq) || rabbitMq.Scheme is not ("amqp" or "amqps"))
        {
            throw new ArgumentException($"--rabbitmq '{values["--rabbitmq"]}' is not an amqp:// or amqps:// URI.");
        }

        return new StackFloorSettings(Required(values, "--app-id"), Port(values, "--grpc-port"), Port(values, "--http-port"), rabbitMq);
    }

    private static string Required(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new ArgumentException($"{name} is required.");

    private static int Port(Dictionary<string, string> values, string name) =>
        int.TryParse(Required(values, name), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= ushort.MaxValue
            ? port
            : throw new ArgumentException($"{name} '{values[name]}' is not a port (1-65535).");
}
