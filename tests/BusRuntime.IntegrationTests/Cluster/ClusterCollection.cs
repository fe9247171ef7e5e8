namespace BusRuntime.IntegrationTests.Cluster;

/// <summary>
/// The tests on the 3-node cluster share it (started once, removed at the end) and run alone, after the other
/// collections: they kill nodes and time failovers, which other tests' load on the same cores would skew.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "RabbitMQ cluster";
}
