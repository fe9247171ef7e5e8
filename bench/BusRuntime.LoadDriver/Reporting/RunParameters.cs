namespace BusRuntime.LoadDriver.Reporting;

/// <summary>The knobs of the run, repeated in the report so numbers never travel without them.</summary>
public sealed record RunParameters(int Messages, int Concurrency, int PayloadBytes, int Warmup, int Rounds);
