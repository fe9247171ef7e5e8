using System.Net;
using System.Text.Json;
using BusRuntime.Testing;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;

namespace BusRuntime.Sidecar.Tests.Http;

/// <summary>GET /v1.0/secrets/{store}/{key} and /bulk on a file store with an allow-list.</summary>
public sealed class DaprSecretRoutesTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("busruntime-http-secrets-").FullName;
    private TestSidecar? sidecar;

    private HttpClient Http => sidecar!.Http;

    public async Task InitializeAsync()
    {
        var file = System.IO.Path.Combine(directory, "secrets.json");
        await File.WriteAllTextAsync(file, """{ "db": { "password": "p4ss" }, "token": "t", "hidden": "h" }""");
        sidecar = await TestSidecar.StartAsync("http-secrets", new Dictionary<string, string?>
        {
            ["BusRuntime:SecretsFile"] = file,
            ["BusRuntime:Components:0:Name"] = "vault",
            ["BusRuntime:Components:0:Type"] = "secretstores.local.file",
            ["BusRuntime:Components:0:Metadata:secretsFile"] = file,
            ["BusRuntime:Components:0:Metadata:allowedSecrets"] = "token, db:password, nothing",
        });
    }

    public async Task DisposeAsync()
    {
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Get_AllowedSecretWithMetadataQuery_Returns200WithKeyAndValue()
    {
        using var response = await Http.GetAsync(Path("/v1.0/secrets/vault/db:password?metadata.version_id=2"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("p4ss", body.RootElement.GetProperty("db:password").GetString());
        Assert.Single(body.RootElement.EnumerateObject());
    }

    [Fact]
    public async Task GetBulk_StoreWithAnAllowList_ReturnsOnlyAllowedSecretsEachAsAMap()
    {
        using var response = await Http.GetAsync(Path("/v1.0/secrets/vault/bulk"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["db:password", "token"], body.RootElement.EnumerateObject().Select(secret => secret.Name).Order(StringComparer.Ordinal));
        Assert.Equal("t", body.RootElement.GetProperty("token").GetProperty("token").GetString());
    }

    [Fact]
    public async Task Get_SecretOutsideTheAllowList_Returns403PermissionDeniedWithoutTheValue()
    {
        using var response = await Http.GetAsync(Path("/v1.0/secrets/vault/hidden"));
        var text = await response.Content.ReadAsStringAsync();

        await AssertErrorAsync(response, HttpStatusCode.Forbidden, "ERR_PERMISSION_DENIED", "secret 'hidden' of secret store 'vault' is not in its allow-list");
        Assert.DoesNotContain("\"h\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownStore_Returns401SecretStoreNotFoundAsDapr()
    {
        using var response = await Http.GetAsync(Path("/v1.0/secrets/nostore/token"));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "ERR_SECRET_STORE_NOT_FOUND", "'nostore' is not a configured secret store");
    }

    [Fact]
    public async Task GetBulk_UnknownStore_Returns401SecretStoreNotFound()
    {
        using var response = await Http.GetAsync(Path("/v1.0/secrets/nostore/bulk"));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "ERR_SECRET_STORE_NOT_FOUND", "nostore");
    }

    [Fact]
    public async Task Get_MissingSecret_Returns404SecretGet()
    {
        using var response = await Http.GetAsync(Path("/v1.0/secrets/vault/nothing"));

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "ERR_SECRET_GET", "secret 'nothing' is not in secret store 'vault'");
    }
}
