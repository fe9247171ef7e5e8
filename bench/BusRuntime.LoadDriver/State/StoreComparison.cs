using BusRuntime.LoadDriver.Reporting;

namespace BusRuntime.LoadDriver.State;

/// <summary>One operation at one concurrency, both called in this process: the hand-written Npgsql state store against the Marten one.</summary>
public sealed record StoreComparison(string Operation, int Concurrency, ModeResult Npgsql, ModeResult Marten)
{
    /// <summary>Marten's p50 relative to Npgsql's: 1.10 is 10 % slower.</summary>
    public double P50Ratio => Marten.P50Ms / Npgsql.P50Ms;
}
