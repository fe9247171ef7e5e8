using BusRuntime.Transport.RabbitMq;

namespace BusRuntime.LoadDriver;

/// <summary>One run of the load driver, as the command line set it.</summary>
public sealed record LoadDriverSettings(
    int Messages,
    int Concurrency,
    int PayloadBytes,
    int Warmup,
    int Rounds,
    string RabbitMqUri,
    RabbitMqNodes RabbitMq,
    string SidecarPath,
    TimeSpan StartupTimeout,
    TimeSpan PhaseTimeout,
    bool Json,
    string? FiguresPath)
{
    /// <summary>The pub/sub component every sidecar has when configuration declares none.</summary>
    public const string PubsubName = "pubsub";
}
