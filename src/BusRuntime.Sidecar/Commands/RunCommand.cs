using System.CommandLine;
using BusRuntime.Hosting;
using Microsoft.Extensions.Options;

namespace BusRuntime.Sidecar.Commands;

/// <summary><c>busruntime run</c>: starts the sidecar. Every flag is also a configuration key.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var appId = new Option<string>("--app-id") { Description = "The id of the app this sidecar serves (BusRuntime:AppId). Required." };
        var appPort = new Option<int?>("--app-port") { Description = "The app's port, where the sidecar delivers events and invocations (BusRuntime:AppPort). Default: none." };
        var appCallbackProtocol = new Option<string>("--app-callback-protocol")
        {
            Description = "Which AppCallback the app serves (BusRuntime:AppCallbackProtocol): auto (default: Dapr's, else Layotto's), dapr or layotto.",
        };
        appCallbackProtocol.AcceptOnlyFromAmong("auto", "dapr", "layotto");
        var appProtocol = new Option<string>("--app-protocol")
        {
            Description = "How the sidecar calls the app on --app-port (BusRuntime:AppProtocol): grpc (default: Dapr's or Layotto's AppCallback service) or http (Dapr's HTTP app API: /dapr/subscribe, routes, methods as paths).",
        };
        appProtocol.AcceptOnlyFromAmong("grpc", "http");
        var enableAppHealthCheck = new Option<bool>("--enable-app-health-check")
        {
            Description = "Probe the app's health (BusRuntime:AppHealth:Enabled): while it is unhealthy its subscriptions pause and its invocations fail at once. Default: off.",
        };
        var appHealthCheckPath = new Option<string>("--app-health-check-path") { Description = "The path an HTTP app's health is probed on with GET (BusRuntime:AppHealth:CheckPath). Default: /healthz." };
        var appHealthProbeInterval = new Option<int?>("--app-health-probe-interval") { Description = "Seconds between health probes (BusRuntime:AppHealth:ProbeInterval). Default: 5." };
        var appHealthProbeTimeout = new Option<int?>("--app-health-probe-timeout") { Description = "Milliseconds a health probe may take (BusRuntime:AppHealth:ProbeTimeout). Default: 500." };
        var appHealthThreshold = new Option<int?>("--app-health-threshold") { Description = "Failed probes in a row that make the app unhealthy (BusRuntime:AppHealth:Threshold). Default: 3." };
        var grpcPort = new Option<int?>("--grpc-port", "--dapr-grpc-port") { Description = "The gRPC port apps call (BusRuntime:GrpcPort). Default: 50001." };
        var httpPort = new Option<int?>("--http-port", "--dapr-http-port") { Description = "The HTTP port of Dapr's HTTP API and the actuator (BusRuntime:HttpPort). Default: 3500." };
        var transport = new Option<string>("--transport") { Description = "The bus transport (BusRuntime:Transport): InMemory (default, nothing to install) or RabbitMq." };
        transport.AcceptOnlyFromAmong("InMemory", "RabbitMq");
        var rabbitMq = new Option<string>("--rabbitmq") { Description = "The RabbitMQ broker, amqp://user:password@host:port/vhost, or a cluster's nodes separated by commas (BusRuntime:RabbitMq). Default: amqp://guest:guest@127.0.0.1:5672/." };
        var postgres = new Option<string>("--postgres")
        {
            Description = "A PostgreSQL connection string, e.g. \"Host=127.0.0.1;Username=postgres;Password=postgres;Database=postgres\" (BusRuntime:Postgres). " +
                "Puts the default state, lock, sequencer and configuration stores on PostgreSQL. Default: none (they live in memory).",
        };
        var secretsFile = new Option<string>("--secrets-file")
        {
            Description = "A JSON file of secrets for the default secret store \"secretstore\" (BusRuntime:SecretsFile). Default: none (\"secretstore\" is empty).",
        };
        var resourcesPath = new Option<string[]>("--resources-path", "--components-path")
        {
            Description = "A directory of Dapr component and subscription files (*.yaml, *.yml), or one such file; repeatable (BusRuntime:ResourcesPaths:N). Default: none.",
        };
        var config = new Option<FileInfo>("--config") { Description = "A JSON configuration file, read after appsettings.json and before BusRuntime__* environment variables." };
        config.AcceptExistingOnly();

        var command = new Command("run", "Run the sidecar for one app: gRPC API on --grpc-port, HTTP API and actuator on --http-port. daprd's flags are taken too (docs/dapr-compatibility.md#daprd-flags).")
        {
            appId, appPort, appProtocol, appCallbackProtocol,
            enableAppHealthCheck, appHealthCheckPath, appHealthProbeInterval, appHealthProbeTimeout, appHealthThreshold,
            grpcPort, httpPort, transport, rabbitMq, postgres, secretsFile, resourcesPath, config,
        };
        var daprd = new DaprdFlags();
        daprd.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
            if ((daprd.Apply(result, overrides, result.InvocationConfiguration.Error) ?? DaprConfigurationRefusal(result.GetValue(config))) is { } refused)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"busruntime: the sidecar cannot start: {refused}");
                return 2;
            }

            Set(overrides, "BusRuntime:AppId", result.GetValue(appId));
            Set(overrides, "BusRuntime:AppPort", result.GetValue(appPort)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Set(overrides, "BusRuntime:AppProtocol", result.GetValue(appProtocol));
            Set(overrides, "BusRuntime:AppCallbackProtocol", result.GetValue(appCallbackProtocol));
            Set(overrides, "BusRuntime:AppHealth:Enabled", result.GetValue(enableAppHealthCheck) ? "true" : null);
            Set(overrides, "BusRuntime:AppHealth:CheckPath", result.GetValue(appHealthCheckPath));
            Set(overrides, "BusRuntime:AppHealth:ProbeInterval", result.GetValue(appHealthProbeInterval) is { } interval ? TimeSpan.FromSeconds(interval).ToString("c", System.Globalization.CultureInfo.InvariantCulture) : null);
            Set(overrides, "BusRuntime:AppHealth:ProbeTimeout", result.GetValue(appHealthProbeTimeout) is { } timeout ? TimeSpan.FromMilliseconds(timeout).ToString("c", System.Globalization.CultureInfo.InvariantCulture) : null);
            Set(overrides, "BusRuntime:AppHealth:Threshold", result.GetValue(appHealthThreshold)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Set(overrides, "BusRuntime:GrpcPort", result.GetValue(grpcPort)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Set(overrides, "BusRuntime:HttpPort", result.GetValue(httpPort)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Set(overrides, "BusRuntime:Transport", result.GetValue(transport));
            Set(overrides, "BusRuntime:RabbitMq", result.GetValue(rabbitMq));
            Set(overrides, "BusRuntime:Postgres", result.GetValue(postgres));
            Set(overrides, "BusRuntime:SecretsFile", result.GetValue(secretsFile));
            var paths = result.GetValue(resourcesPath) ?? [];
            for (var index = 0; index < paths.Length; index++)
            {
                Set(overrides, $"BusRuntime:ResourcesPaths:{index}", paths[index]);
            }

            return await RunAsync(overrides, result.GetValue(config)?.FullName, result.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>daprd's --config names a Dapr Configuration file (YAML): say so rather than fail on it as JSON.</summary>
    private static string? DaprConfigurationRefusal(FileInfo? config) => config is { Extension: ".yaml" or ".yml" }
        ? $"--config '{config.Name}' looks like a Dapr Configuration file (YAML); BusRuntime's --config is a JSON file of BusRuntime settings. Where Dapr's Configuration settings go: docs/dapr-compatibility.md#daprd-flags."
        : null;

    private static async Task<int> RunAsync(Dictionary<string, string?> overrides, string? configFile, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            await using var app = SidecarHost.Build(overrides, configFile);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch
            {
                // Stop the background services that did start: a host disposed without being stopped logs each one's
                // cancellation as a failure, beside the error that matters (a port already taken, say).
                await app.StopAsync(CancellationToken.None);
                throw;
            }

            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        }
        catch (Exception exception) when (IsConfigurationError(exception))
        {
            await error.WriteLineAsync($"busruntime: the sidecar cannot start: {Describe(exception)}");
            return 2;
        }
    }

    private static bool IsConfigurationError(Exception exception) => exception switch
    {
        OptionsValidationException or InvalidOperationException or IOException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsConfigurationError),
        _ => false,
    };

    // Options that depend on each other report the same failure once for each: say it once.
    private static string Describe(Exception exception) => exception switch
    {
        AggregateException aggregate => string.Join(" ", aggregate.InnerExceptions.Select(Describe).Distinct(StringComparer.Ordinal)),
        OptionsValidationException validation => string.Join(" ", validation.Failures),
        IOException io => io.Message,
        _ => exception.InnerException is { } inner && exception.Message.StartsWith("Failed to convert", StringComparison.Ordinal)
            ? $"{exception.Message} {inner.Message}"
            : exception.Message,
    };

    private static void Set(Dictionary<string, string?> overrides, string key, string? value)
    {
        if (value is not null)
        {
            overrides[key] = value;
        }
    }
}
