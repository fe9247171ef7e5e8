namespace BusRuntime.LoadDriver.State;

/// <summary>Which state store both paths use: the embedded in-memory one, or PostgreSQL.</summary>
public enum StateBackend
{
    InMemory,
    Postgres,
}
