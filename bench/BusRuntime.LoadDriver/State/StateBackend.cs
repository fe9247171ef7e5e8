namespace BusRuntime.LoadDriver.State;

/// <summary>Which state store both paths use: the embedded in-memory one, PostgreSQL or Redis.</summary>
public enum StateBackend
{
    InMemory,
    Postgres,
    Redis,
}
