using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BusRuntime.Sidecar.Commands;

/// <summary>
/// daprd's flags on <c>busruntime run</c>, so that a daprd command line starts BusRuntime unchanged: the ones with a
/// BusRuntime setting become that configuration key, the ones naming Dapr's control plane (placement, scheduler,
/// Sentry…), which BusRuntime does not need, are accepted and said to be ignored, and the ones that would promise what
/// BusRuntime does not do (mTLS through Sentry, Kubernetes mode, TLS to the app) stop start-up saying why.
/// </summary>
public sealed partial class DaprdFlags
{
    private static readonly string[] LogLevels = ["debug", "info", "warn", "error", "fatal"];

    private readonly Option<int?> daprHttpMaxRequestSize = new("--dapr-http-max-request-size")
    {
        Description = "daprd's request size limit in MB (BusRuntime:MaxPayloadBytes); --max-body-size is its newer form.",
    };

    private readonly Option<string> maxBodySize = new("--max-body-size")
    {
        Description = "daprd's request size limit as a quantity, e.g. 4Mi or 16M (BusRuntime:MaxPayloadBytes). Default: 4Mi.",
    };

    private readonly Option<int?> appMaxConcurrency = new("--app-max-concurrency")
    {
        Description = "daprd's limit on calls to the app at once: the most invocations (BusRuntime:Invoke:ConcurrentRequests) and the most events of one subscription (BusRuntime:PubSub:ConcurrentDeliveries) the app gets at a time.",
    };

    private readonly Option<string> appChannelAddress = new("--app-channel-address")
    {
        Description = "The host the app listens on (BusRuntime:AppHost). Default: 127.0.0.1.",
    };

    private readonly Option<string> listenAddresses = new("--dapr-listen-addresses")
    {
        Description = "The address the sidecar listens on (BusRuntime:ListenAddress); one address. Default: 127.0.0.1.",
    };

    private readonly Option<int?> gracefulShutdownSeconds = new("--dapr-graceful-shutdown-seconds")
    {
        Description = "Seconds the sidecar takes to stop gracefully (BusRuntime:ShutdownTimeout). Default: 30.",
    };

    private readonly Option<string> logLevel = new("--log-level")
    {
        Description = "daprd's log level: debug, info (default), warn, error or fatal (Logging:LogLevel:Default).",
    };

    private readonly Option<string> mode = new("--mode")
    {
        Description = "daprd's mode: standalone, the only one BusRuntime runs in.",
    };

    private readonly Option<bool> enableMtls = new("--enable-mtls")
    {
        Description = "Refused: BusRuntime has no Sentry; sidecars talk through the broker, and apps over TLS with BusRuntime:Tls.",
    };

    private readonly Option<bool> appSsl = new("--app-ssl")
    {
        Description = "Refused: the sidecar calls its app in plain text on the loopback.",
    };

    private readonly Option<string>[] controlPlane =
    [
        new("--placement-host-address") { Description = "Accepted and ignored: BusRuntime has no actor placement service." },
        new("--scheduler-host-address") { Description = "Accepted and ignored: jobs need no scheduler service; they are kept in the job store and travel on the bus." },
        new("--control-plane-address") { Description = "Accepted and ignored: BusRuntime has no control plane." },
        new("--sentry-address") { Description = "Accepted and ignored: BusRuntime has no Sentry." },
    ];

    private readonly Option<bool> enableMetrics = new("--enable-metrics")
    {
        Description = "Accepted: metrics are always on, in the Prometheus format at /metrics on the HTTP port.",
    };

    /// <summary>Puts the flags on <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        logLevel.AcceptOnlyFromAmong(LogLevels);
        mode.AcceptOnlyFromAmong("standalone", "kubernetes");
        foreach (var option in new Option[] { daprHttpMaxRequestSize, maxBodySize, appMaxConcurrency, appChannelAddress, listenAddresses, gracefulShutdownSeconds, logLevel, mode, enableMtls, appSsl, enableMetrics })
        {
            command.Options.Add(option);
        }

        foreach (var option in controlPlane)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// Adds the configuration keys the given flags set to <paramref name="overrides"/> and writes a line to
    /// <paramref name="notes"/> for each flag accepted and ignored; returns why start-up must stop, or null.
    /// </summary>
    public string? Apply(ParseResult result, Dictionary<string, string?> overrides, TextWriter notes)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(notes);
        if (result.GetValue(enableMtls))
        {
            return "--enable-mtls: BusRuntime has no Sentry to issue certificates; sidecars talk through the broker (secure it with amqps://), and apps reach their sidecar over TLS with BusRuntime:Tls:CertificatePath (docs/security.md).";
        }

        if (result.GetValue(appSsl))
        {
            return "--app-ssl: the sidecar calls its app in plain text on the loopback; serve the app on plain HTTP or h2c behind it.";
        }

        if (result.GetValue(mode) == "kubernetes")
        {
            return "--mode kubernetes: BusRuntime runs in standalone mode only; run it as a container beside the app, configured with flags, BusRuntime__* variables and --resources-path.";
        }

        var (bytes, sizeError) = MaxPayloadBytes(result);
        if (sizeError is not null)
        {
            return sizeError;
        }

        if (bytes is { } limit)
        {
            overrides["BusRuntime:MaxPayloadBytes"] = limit.ToString(CultureInfo.InvariantCulture);
        }

        if (result.GetValue(appMaxConcurrency) is { } concurrency)
        {
            if (concurrency < 1)
            {
                return $"--app-max-concurrency {concurrency}: must be at least 1 (daprd's -1, no limit, is BusRuntime's defaults: leave the flag out).";
            }

            overrides["BusRuntime:Invoke:ConcurrentRequests"] = concurrency.ToString(CultureInfo.InvariantCulture);
            overrides["BusRuntime:PubSub:ConcurrentDeliveries"] = concurrency.ToString(CultureInfo.InvariantCulture);
        }

        if (result.GetValue(listenAddresses) is { } addresses)
        {
            var each = addresses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (each.Length != 1)
            {
                return $"--dapr-listen-addresses '{addresses}': BusRuntime listens on one address; name one.";
            }

            overrides["BusRuntime:ListenAddress"] = each[0];
        }

        if (result.GetValue(appChannelAddress) is { } appHost)
        {
            overrides["BusRuntime:AppHost"] = appHost;
        }

        if (result.GetValue(gracefulShutdownSeconds) is { } seconds)
        {
            overrides["BusRuntime:ShutdownTimeout"] = TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture);
        }

        if (result.GetValue(logLevel) is { } level)
        {
            overrides["Logging:LogLevel:Default"] = level switch
            {
                "debug" => "Debug",
                "warn" => "Warning",
                "error" => "Error",
                "fatal" => "Critical",
                _ => "Information",
            };
        }

        foreach (var option in controlPlane.Where(option => result.GetValue(option) is not null))
        {
            notes.WriteLine($"busruntime: {option.Name} is accepted for daprd's command line and ignored. {option.Description}");
        }

        return null;
    }

    /// <summary>--max-body-size (a quantity) or --dapr-http-max-request-size (MB) in bytes; an error naming the flag for a value out of shape or range.</summary>
    private (int? Bytes, string? Error) MaxPayloadBytes(ParseResult result)
    {
        if (result.GetValue(maxBodySize) is { } quantity)
        {
            var match = Quantity().Match(quantity);
            if (!match.Success || !long.TryParse(match.Groups["number"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return (null, $"--max-body-size '{quantity}': not a size such as 4Mi, 512Ki, 16M or 1048576 (bytes).");
            }

            var bytes = number * match.Groups["unit"].Value switch
            {
                "Ki" => 1024L,
                "Mi" => 1024L * 1024,
                "Gi" => 1024L * 1024 * 1024,
                "K" or "k" => 1000L,
                "M" => 1000L * 1000,
                "G" => 1000L * 1000 * 1000,
                _ => 1L,
            };
            return Bounded(bytes, "--max-body-size", quantity);
        }

        return result.GetValue(daprHttpMaxRequestSize) is { } megabytes
            ? Bounded(megabytes * 1024L * 1024, "--dapr-http-max-request-size", megabytes.ToString(CultureInfo.InvariantCulture))
            : (null, null);
    }

    private static (int? Bytes, string? Error) Bounded(long bytes, string flag, string given) =>
        bytes is >= 1 and <= 64 * 1024 * 1024
            ? ((int)bytes, null)
            : (null, $"{flag} '{given}': must be between 1 byte and 64 MiB (BusRuntime:MaxPayloadBytes).");

    [GeneratedRegex(@"^(?<number>[0-9]{1,12})(?<unit>Ki|Mi|Gi|K|k|M|G)?$")]
    private static partial Regex Quantity();
}
