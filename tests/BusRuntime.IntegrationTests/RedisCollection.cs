namespace BusRuntime.IntegrationTests;

/// <summary>The sidecar tests on the real Redis; they run one at a time, beside the other collections.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "Redis";
}
