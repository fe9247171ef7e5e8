namespace BusRuntime.LoadDriver.Journal;

/// <summary>The knobs of one journal benchmark run.</summary>
public sealed record JournalBenchmarkSettings(
    int Messages,
    int Concurrency,
    int PayloadBytes,
    int Warmup,
    int Rounds,
    string RabbitMq,
    string Postgres,
    string SidecarPath,
    string? FiguresPath);
