namespace BusRuntime.Stores.Postgres.Migrations;

/// <summary>
/// One step of a schema's history, applied once and recorded under <paramref name="Id"/>. Its statements
/// (given the quoted schema) must be idempotent (IF NOT EXISTS), since a schema created before the history
/// table existed runs every step once to record it.
/// </summary>
internal sealed record PostgresMigration(string Id, Func<string, IEnumerable<string>> Statements);
