namespace BusRuntime.Stores.Tests.Files;

/// <summary>
/// The large-file tests run alone, after every other collection: they count the bytes the whole process allocates,
/// which other tests running beside them would add to.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeFilesCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Large files";
}
