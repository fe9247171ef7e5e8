namespace BusRuntime.Sagas.Tests.Persistence;

/// <summary>Every test on the real PostgreSQL shares one fixture and runs one at a time (each in a schema of its own).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
