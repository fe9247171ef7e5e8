namespace BusRuntime.LoadDriver.Summary;

/// <summary>
/// One figure of issue 20's table: the figure the benchmarks wrote (<see cref="Figure"/>), how it compares with its
/// target (at least or at most <see cref="Bound"/>; no bound: reported only), and how to print it. <see cref="Context"/> is
/// a second figure of the same run shown beside it (the minimum, the median of rounds); <see cref="Floor"/> the same figure
/// for the stack floor, what ASP.NET Core, gRPC and MassTransit take with nothing of BusRuntime.
/// </summary>
public sealed record Target(string Label, string Figure, string Unit, string Format, bool AtLeast, double? Bound, string? Context = null, string? Floor = null);
