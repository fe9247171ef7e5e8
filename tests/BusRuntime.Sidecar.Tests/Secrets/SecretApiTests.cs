using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Secrets;

/// <summary>GetSecret and GetBulkSecret on the default secret stores ("secretstore" from a JSON file, "envsecrets") and on declared ones.</summary>
public sealed class SecretApiTests : IAsyncLifetime
{
    private const string Password = "p4ss-w0rd";

    private readonly string directory = Directory.CreateTempSubdirectory("busruntime-secrets-").FullName;
    private string file = "";

    public Task InitializeAsync()
    {
        file = Path.Combine(directory, "secrets.json");
        return File.WriteAllTextAsync(file, $$"""{ "db": { "password": "{{Password}}", "port": 5432 }, "hosts": ["a", "b"], "token": "t", "none": null }""");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task GetSecret_DefaultFileStore_ReadsNestedKeysJoinedByColons()
    {
        await using var sidecar = await TestSidecar.StartAsync("secrets", new Dictionary<string, string?> { ["BusRuntime:SecretsFile"] = file });

        var password = await sidecar.Runtime.GetSecretAsync(new GetSecretRequest { StoreName = "secretstore", Key = "db:password" });
        var port = await sidecar.Runtime.GetSecretAsync(new GetSecretRequest { StoreName = "secretstore", Key = "db:port" });
        var host = await sidecar.Runtime.GetSecretAsync(new GetSecretRequest { StoreName = "secretstore", Key = "hosts:1" });

        Assert.Equal(Password, password.Data["db:password"]);
        Assert.Equal("5432", port.Data["db:port"]);
        Assert.Equal("b", host.Data["hosts:1"]);
    }

    [Fact]
    public async Task GetBulkSecret_DefaultFileStore_ReturnsEverySecretUnderItsKey()
    {
        await using var sidecar = await TestSidecar.StartAsync("secrets", new Dictionary<string, string?> { ["BusRuntime:SecretsFile"] = file });

        var all = await sidecar.Runtime.GetBulkSecretAsync(new GetBulkSecretRequest { StoreName = "secretstore" });

        Assert.Equal(["db:password", "db:port", "hosts:0", "hosts:1", "token"], all.Data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Password, all.Data["db:password"].Secrets["db:password"]);
    }

    [Fact]
    public async Task GetSecret_MissingKey_ReturnsNotFoundWithoutAnyValue()
    {
        await using var sidecar = await TestSidecar.StartAsync("secrets", new Dictionary<string, string?> { ["BusRuntime:SecretsFile"] = file });

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await sidecar.Runtime.GetSecretAsync(new GetSecretRequest { StoreName = "secretstore", Key = "db" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("secret 'db' is not in secret store 'secretstore'.", error.Status.Detail);
    }

    [Fact]
    public async Task GetSecret_DefaultFileStoreWithoutAFile_ReturnsNotFoundSayingHowToConfigureIt()
    {
        await using var sidecar = await TestSidecar.StartAsync("secrets");

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await sidecar.Runtime.GetSecretAsync(new GetSecretRequest { StoreName = "secretstore", Key = "token" }));
        var all = await sidecar.Runtime.GetBulkSecretAsync(new GetBulkSecretRequest { StoreName = "secretstore" });

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("secret store 'secretstore' has no secrets file: set BusRuntime:SecretsFile (--secrets-file) or its metadata secretsFile.", error.Status.Detail);
        Assert.Empty(all.Data);
    }

    [Fact]
    public async Task GetSecret_DefaultEnvironmentStore_ReadsVariablesButNeverTheSidecarsOwnConfiguration()
    {
        var name = $"BUSRUNTIME_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "from-env");
        Environment.SetEnvironmentVariable("BusRuntime__TestOnlySecret", Password);
        try
        {
            await using var sidecar = await TestSidecar.StartAsync("secrets");

            var secret = await sidecar.Runtime.GetSecretAsync(new GetSecretRequest { StoreName = "envsecrets", Key = name });
            var hidden = await Assert.ThrowsAsync<RpcException>(async () =>
                await sidecar.Runtime.GetSecretAsync(new GetSecretRequest { StoreName = "envsecrets", Key = "BusRuntime__TestOnlySecret" }));
            var all = await sidecar.Runtime.GetBulkSecretAsync(new GetBulkSecretRequest { StoreName = "envsecrets" });

            Assert.Equal("from-env", secret.Data[name]);
            Assert.Equal(StatusCode.NotFound, hidden.StatusCode);
            Assert.Contains(name, all.Data.Keys);
            Assert.DoesNotContain(all.Data.Keys, key => key.StartsWith("BusRuntime__", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
            Environment.SetEnvironmentVariable("BusRuntime__TestOnlySecret", null);
        }
    }

    [Fact]
    public async Task GetSecret_EnvironmentStoreWithPrefix_ReadsOnlyPrefixedVariablesByTheirNameWithoutIt()
    {
        var prefix = $"T{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "DB_PASSWORD", Password);
        Environment.SetEnvironmentVariable("DB_PASSWORD_" + prefix, "unprefixed");
        try
        {
            await using var sidecar = await TestSidecar.StartAsync("secrets", Components(("vault", "secretstores.local.env", "prefix", prefix)));

            var secret = await sidecar.Runtime.GetSecretAsync(new GetSecretRequest { StoreName = "vault", Key = "DB_PASSWORD" });
            var all = await sidecar.Runtime.GetBulkSecretAsync(new GetBulkSecretRequest { StoreName = "vault" });

            Assert.Equal(Password, secret.Data["DB_PASSWORD"]);
            Assert.Equal(["DB_PASSWORD"], all.Data.Keys);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "DB_PASSWORD", null);
            Environment.SetEnvironmentVariable("DB_PASSWORD_" + prefix, null);
        }
    }

    [Fact]
    public async Task GetSecret_KeyOutsideTheAllowList_ReturnsPermissionDeniedAndBulkLeavesItOut()
    {
        await using var sidecar = await TestSidecar.StartAsync("secrets", Components(
            ("vault", "secretstores.local.file", "secretsFile", file),
            ("vault", "secretstores.local.file", "allowedSecrets", "token, hosts:0")));

        var allowed = await sidecar.Runtime.GetSecretAsync(new GetSecretRequest { StoreName = "vault", Key = "token" });
        var denied = await Assert.ThrowsAsync<RpcException>(async () =>
            await sidecar.Runtime.GetSecretAsync(new GetSecretRequest { StoreName = "vault", Key = "db:password" }));
        var all = await sidecar.Runtime.GetBulkSecretAsync(new GetBulkSecretRequest { StoreName = "vault" });

        Assert.Equal("t", allowed.Data["token"]);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal("secret 'db:password' of secret store 'vault' is not in its allow-list (BusRuntime:Components[vault]:Metadata:allowedSecrets).", denied.Status.Detail);
        Assert.Equal(["hosts:0", "token"], all.Data.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetSecret_FileStoreWithItsOwnSeparator_JoinsNestedKeysWithIt()
    {
        await using var sidecar = await TestSidecar.StartAsync("secrets", Components(
            ("vault", "secretstores.local.file", "secretsFile", file),
            ("vault", "secretstores.local.file", "nestedSeparator", ".")));

        var secret = await sidecar.Runtime.GetSecretAsync(new GetSecretRequest { StoreName = "vault", Key = "db.password" });

        Assert.Equal(Password, secret.Data["db.password"]);
    }

    public static TheoryData<string, string, StatusCode, string> BadReads => new()
    {
        { "", "token", StatusCode.InvalidArgument, "store_name is empty; name a secret store: envsecrets, secretstore." },
        { "vault", "token", StatusCode.NotFound, "store_name 'vault' is not a configured secret store; configured: envsecrets, secretstore." },
        { "secretstore", "", StatusCode.InvalidArgument, "key is empty; name the secret." },
    };

    [Theory]
    [MemberData(nameof(BadReads))]
    public async Task GetSecret_BadStoreOrKey_ReturnsPreciseStatus(string storeName, string key, StatusCode code, string message)
    {
        await using var sidecar = await TestSidecar.StartAsync("secrets", new Dictionary<string, string?> { ["BusRuntime:SecretsFile"] = file });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.GetSecretAsync(new GetSecretRequest { StoreName = storeName, Key = key }));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
    }

    [Fact]
    public async Task Start_SecretsFileThatIsNotJson_FailsNamingTheKeyWithoutQuotingTheFile()
    {
        var broken = Path.Combine(directory, "broken.json");
        await File.WriteAllTextAsync(broken, $$"""{ "db": "{{Password}}" """);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestSidecar.StartAsync("secrets", new Dictionary<string, string?> { ["BusRuntime:SecretsFile"] = broken }));

        Assert.StartsWith($"BusRuntime:SecretsFile '{broken}' is not valid JSON (line 1, byte ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SecretsFileMissing_FailsNamingTheMetadataKey()
    {
        var missing = Path.Combine(directory, "missing.json");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestSidecar.StartAsync("secrets", Components(("vault", "secretstores.local.file", "secretsFile", missing))));

        Assert.Equal($"BusRuntime:Components[vault]:Metadata:secretsFile '{missing}' does not exist.", error.Message);
    }

    /// <summary>Components declared by (name, type, metadata key, value); rows with the same name add metadata to one component.</summary>
    private static Dictionary<string, string?> Components(params (string Name, string Type, string Key, string Value)[] rows)
    {
        var settings = new Dictionary<string, string?>();
        var names = rows.Select(row => row.Name).Distinct().ToList();
        foreach (var (name, type, key, value) in rows)
        {
            var index = names.IndexOf(name);
            settings[$"BusRuntime:Components:{index}:Name"] = name;
            settings[$"BusRuntime:Components:{index}:Type"] = type;
            settings[$"BusRuntime:Components:{index}:Metadata:{key}"] = value;
        }

        return settings;
    }
}
