namespace BusRuntime.IntegrationTests;

/// <summary>The sidecar tests on the real PostgreSQL; they run one at a time, beside the RabbitMQ collection.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
