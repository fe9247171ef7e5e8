namespace BusRuntime.Core.Configuration;

/// <summary>
/// A component a sidecar has when configuration declares none of its kind: its name, its type, and its
/// type when BusRuntime:Postgres is set (null: the same type either way).
/// </summary>
public sealed record DefaultComponent(string Name, string Type, string? PostgresType = null);
