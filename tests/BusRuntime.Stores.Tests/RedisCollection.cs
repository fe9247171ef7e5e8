namespace BusRuntime.Stores.Tests;

/// <summary>Every test on the real Redis shares one fixture and runs one at a time (each in a keyspace of its own).</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "Redis";
}
