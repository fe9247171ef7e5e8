using System.CommandLine;

namespace BusRuntime.Sidecar.Commands;

/// <summary>The busruntime command line: <c>run</c> starts a sidecar; the operator commands talk to a running one.</summary>
public static class BusRuntimeCommandLine
{
    /// <param name="timeProvider">The clock that durations such as <c>--since 10m</c> count back from, and that deadlines count from.</param>
    public static RootCommand Create(TimeProvider? timeProvider = null)
    {
        var clock = timeProvider ?? TimeProvider.System;
        return new(
            "BusRuntime: an application runtime sidecar. Apps call it over gRPC for pub/sub and other distributed " +
            "primitives; every message crosses one MassTransit bus (in-memory, or RabbitMQ).\n\n" +
            "Start a sidecar on the embedded in-memory bus (nothing to install):\n  busruntime run --app-id orders\n" +
            "Start one on RabbitMQ:\n  busruntime run --app-id orders --transport RabbitMq --rabbitmq amqp://guest:guest@127.0.0.1:5672/\n" +
            "Every flag is also a configuration key (appsettings.json, --config FILE) and an environment variable (BusRuntime__AppId).\n\n" +
            "Operate a running sidecar (default --sidecar http://127.0.0.1:50001):\n" +
            "  busruntime health                                         is it ready? (exit code 0 when UP, 1 otherwise)\n" +
            "  busruntime messages list --since 10m --outcome dead-lettered   what failed in the last ten minutes\n" +
            "  busruntime messages show ID                               one message: history, headers, body\n" +
            "  busruntime messages replay ID --dry-run                   send it again (with busruntime-replay-of)\n" +
            "  busruntime deadletters list                               what sits in the _error queues (RabbitMQ)\n" +
            "  busruntime deadletters redrive --all                      put it back on its queues, one message at a time\n" +
            "  busruntime workflows list --status COMPENSATION_FAILED    workflow instances, most recent first\n" +
            "  busruntime workflows show ID                              one instance: status, steps, errors\n" +
            "  busruntime console                                        all of the above in the browser, on http://127.0.0.1:7300\n" +
            "Apply the PostgreSQL schema ahead of deploy (for sidecars with BusRuntime:PostgresAutoCreate=None):\n" +
            "  busruntime db migrate --postgres \"Host=db;Username=owner;Password=…\" --schema busruntime\n" +
            "A sidecar with an API token wants it on every call: export DAPR_API_TOKEN (or BusRuntime__ApiToken) and the commands send it.\n" +
            "These commands see and act on the sidecar's own app only (its messages, dead letters and workflows); with the sidecar's\n" +
            "operator token (BusRuntime:OperatorToken) exported as BUSRUNTIME_OPERATOR_TOKEN they send it and see the whole deployment.")
        {
            RunCommand.Create(),
            MessagesCommand.Create(clock),
            DeadLettersCommand.Create(),
            WorkflowsCommand.Create(),
            HealthCommand.Create(clock),
            ConsoleCommand.Create(),
            DbCommand.Create(),
        };
    }
}
