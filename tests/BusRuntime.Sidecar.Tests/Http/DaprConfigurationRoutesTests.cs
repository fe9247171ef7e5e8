using System.Net;
using System.Text.Json;
using BusRuntime.Core.AppConfiguration;
using Microsoft.Extensions.DependencyInjection;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;

namespace BusRuntime.Sidecar.Tests.Http;

/// <summary>GET /v1.0/configuration/{store} (and the alpha route) on the app's own items.</summary>
public sealed class DaprConfigurationRoutesTests(EmbeddedSidecar fixture) : IClassFixture<EmbeddedSidecar>
{
    private HttpClient Http => fixture.Sidecar.Http;

    [Theory]
    [InlineData("/v1.0/configuration/configstore")]
    [InlineData("/v1.0-alpha1/configuration/configstore")]
    public async Task Get_KeysInTheLabelTheMetadataNames_Returns200WithOnlyThoseItems(string route)
    {
        var label = EmbeddedSidecar.Key("http-config");
        await SaveAsync(label, ("a", "1"), ("b", "2"), ("c", "3"));

        using var response = await Http.GetAsync(Path($"{route}?key=a&key=b&metadata.label={label}"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["a", "b"], body.RootElement.EnumerateObject().Select(item => item.Name).Order(StringComparer.Ordinal));
        Assert.Equal("1", body.RootElement.GetProperty("a").GetProperty("value").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("a").GetProperty("version").GetString()));
        Assert.False(body.RootElement.GetProperty("a").TryGetProperty("metadata", out _));
    }

    [Fact]
    public async Task Get_NoKeysInALabel_ReturnsEveryItemOfIt()
    {
        var label = EmbeddedSidecar.Key("http-config-all");
        await SaveAsync(label, ("x", "1"), ("y", "2"));

        using var response = await Http.GetAsync(Path($"/v1.0/configuration/configstore?metadata.label={label}"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(["x", "y"], body.RootElement.EnumerateObject().Select(item => item.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Get_NothingMatches_Returns204()
    {
        using var response = await Http.GetAsync(Path($"/v1.0/configuration/configstore?key=none&metadata.label={EmbeddedSidecar.Key("empty")}"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownStore_Returns400ConfigurationStoreNotFound()
    {
        using var response = await Http.GetAsync(Path("/v1.0/configuration/nostore?key=a"));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ERR_CONFIGURATION_STORE_NOT_FOUND", "'nostore' is not a configured configuration store");
    }

    [Fact]
    public async Task Get_EmptyKey_Returns400ConfigurationGetNamingIt()
    {
        using var response = await Http.GetAsync(Path("/v1.0/configuration/configstore?key="));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ERR_CONFIGURATION_GET", "keys[0]");
    }

    private Task SaveAsync(string label, params (string Key, string Content)[] items) =>
        fixture.Sidecar.Services.GetRequiredService<AppConfigurationManager>().SaveAsync(
            "configstore",
            "",
            [.. items.Select(item => new ConfigurationItem(item.Key, item.Content, "", label, new Dictionary<string, string>(), new Dictionary<string, string>()))],
            CancellationToken.None);
}
