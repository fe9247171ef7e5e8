namespace BusRuntime.CompatibilityTests.Fixtures;

/// <summary>Tests on the shared broker share one fixture and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<BrokerFixture>
{
    public const string Name = "Compatibility RabbitMQ";
}
