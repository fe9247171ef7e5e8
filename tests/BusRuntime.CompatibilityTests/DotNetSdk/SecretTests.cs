using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr;
using Grpc.Core;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>The Dapr .NET SDK's GetSecretAsync and GetBulkSecretAsync on the default file secret store.</summary>
public sealed class SecretTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("busruntime-sdk-secrets-").FullName;
    private string file = "";

    public Task InitializeAsync()
    {
        file = Path.Combine(directory, "secrets.json");
        return File.WriteAllTextAsync(file, """{ "db": { "password": "s3cret" }, "token": "t0k" }""");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task GetSecret_NestedKey_ReturnsItUnderItsKey()
    {
        await using var sidecar = await TestSidecar.StartAsync("sdk-secrets", new Dictionary<string, string?> { ["BusRuntime:SecretsFile"] = file });
        using var dapr = SdkClients.For(sidecar);

        var secret = await dapr.GetSecretAsync("secretstore", "db:password");

        Assert.Equal("s3cret", Assert.Single(secret).Value);
        Assert.Equal("db:password", secret.Keys.Single());
    }

    [Fact]
    public async Task GetBulkSecret_Store_EverySecret()
    {
        await using var sidecar = await TestSidecar.StartAsync("sdk-secrets", new Dictionary<string, string?> { ["BusRuntime:SecretsFile"] = file });
        using var dapr = SdkClients.For(sidecar);

        var all = await dapr.GetBulkSecretAsync("secretstore");

        Assert.Equal(["db:password", "token"], all.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("t0k", all["token"]["token"]);
    }

    [Fact]
    public async Task GetSecret_MissingKey_DaprExceptionWithNotFound()
    {
        await using var sidecar = await TestSidecar.StartAsync("sdk-secrets", new Dictionary<string, string?> { ["BusRuntime:SecretsFile"] = file });
        using var dapr = SdkClients.For(sidecar);

        var error = await Assert.ThrowsAsync<DaprException>(() => dapr.GetSecretAsync("secretstore", "nope"));

        Assert.Equal(StatusCode.NotFound, Assert.IsType<RpcException>(error.InnerException).StatusCode);
    }
}
