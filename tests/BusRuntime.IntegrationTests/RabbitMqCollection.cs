namespace BusRuntime.IntegrationTests;

/// <summary>Every integration test shares one broker fixture and runs one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "RabbitMQ";
}
