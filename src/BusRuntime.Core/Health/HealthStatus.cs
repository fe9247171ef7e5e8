namespace BusRuntime.Core.Health;

/// <summary>The actuator's health words: INIT until a component has been ready once, then UP or DOWN.</summary>
public static class HealthStatus
{
    public const string Init = "INIT";
    public const string Up = "UP";
    public const string Down = "DOWN";
}
