using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Stores.Local.Secrets;

namespace BusRuntime.Stores.Tests.Secrets;

/// <summary>Reading a JSON secrets file: flattening, what becomes a secret, and files the store refuses at start-up.</summary>
public sealed class LocalFileSecretStoreTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("busruntime-secrets-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task GetAllAsync_NestedObjectsArraysAndScalars_FlattensThemAndLeavesNullsOut()
    {
        var store = Create("""{ "db": { "user": "app", "replicas": [ { "host": "a" }, { "host": "b" } ] }, "port": 5432, "tls": true, "unset": null, "empty": "" }""");

        var secrets = await store.GetAllAsync(CancellationToken.None);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["db:user"] = "app", ["db:replicas:0:host"] = "a", ["db:replicas:1:host"] = "b", ["port"] = "5432", ["tls"] = "true", ["empty"] = "",
            },
            secrets);
    }

    [Fact]
    public async Task GetAsync_MissingKey_ReturnsNull()
    {
        var store = Create("""{ "token": "t" }""");

        Assert.Equal("t", await store.GetAsync("token", CancellationToken.None));
        Assert.Null(await store.GetAsync("Token", CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_NoFileConfigured_ThrowsNotFoundSayingSoAndHoldsNothing()
    {
        var store = LocalFileSecretStore.Create(new ComponentOptions { Name = "vault", Type = ComponentTypes.SecretStoreLocalFile }, new StoreOptions());

        var error = await Assert.ThrowsAsync<RuntimeException>(() => store.GetAsync("token", CancellationToken.None));

        Assert.Equal(ErrorCode.NotFound, error.Code);
        Assert.StartsWith("secret store 'vault' has no secrets file", error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.GetAllAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("""[ "secret-value" ]""", "must hold a JSON object of secrets, not an array.")]
    [InlineData("""{ "a": "secret-value" """, "is not valid JSON (line 1, byte ")]
    public void Create_FileThatIsNotAnObjectOfSecrets_ThrowsNamingTheKeyWithoutTheContent(string json, string problem)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Create(json));

        Assert.StartsWith("BusRuntime:Components[vault]:Metadata:secretsFile '", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.ToString(), StringComparison.Ordinal);
    }

    private LocalFileSecretStore Create(string json)
    {
        var path = Path.Combine(directory, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return LocalFileSecretStore.Create(
            new ComponentOptions { Name = "vault", Type = ComponentTypes.SecretStoreLocalFile, Metadata = { ["secretsFile"] = path } },
            new StoreOptions());
    }
}
