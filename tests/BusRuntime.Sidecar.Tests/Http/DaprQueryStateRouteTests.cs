using System.Net;
using System.Text.Json;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;

namespace BusRuntime.Sidecar.Tests.Http;

public sealed class DaprQueryStateRouteTests(EmbeddedSidecar fixture) : IClassFixture<EmbeddedSidecar>
{
    private HttpClient Http => fixture.Sidecar.Http;

    [Fact]
    public async Task Query_Matches_200WithResultsAsJsonAndTheNextToken()
    {
        var run = Guid.NewGuid().ToString("N");
        var (first, second) = (EmbeddedSidecar.Key("http-q1"), EmbeddedSidecar.Key("http-q2"));
        using var saved = await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$$"""
            [{"key": "{{{{first}}}}", "value": {"run": "{{{{run}}}}", "person": {"org": "Dev Ops", "id": 1}}},
             {"key": "{{{{second}}}}", "value": {"run": "{{{{run}}}}", "person": {"org": "Dev Ops", "id": 2}}}]
            """));

        using var page = await Http.PostAsync(
            Path("/v1.0-alpha1/state/statestore/query"),
            Json($$$$"""{"filter": {"AND": [{"EQ": {"run": "{{{{run}}}}"}}, {"EQ": {"person.org": "Dev Ops"}}]}, "sort": [{"key": "person.id"}], "page": {"limit": 1}}"""));

        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var body = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
        var result = Assert.Single(body.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal(first, result.GetProperty("key").GetString());
        Assert.Equal(1, result.GetProperty("data").GetProperty("person").GetProperty("id").GetInt32());
        Assert.Matches("^[0-9]+$", result.GetProperty("etag").GetString());
        Assert.Equal("1", body.RootElement.GetProperty("token").GetString());
    }

    [Fact]
    public async Task Query_NothingMatches_204WithoutBody()
    {
        using var page = await Http.PostAsync(Path("/v1.0-alpha1/state/statestore/query"), Json($$$$"""{"filter": {"EQ": {"run": "{{{{Guid.NewGuid():N}}}}"}}}"""));

        Assert.Equal(HttpStatusCode.NoContent, page.StatusCode);
        Assert.Empty(await page.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Query_Malformed_400StateQueryNamingWhatIsWrong()
    {
        using var page = await Http.PostAsync(Path("/v1.0-alpha1/state/statestore/query"), Json("""{"filter": {"IN": {"state": []}}}"""));

        await AssertErrorAsync(page, HttpStatusCode.BadRequest, "ERR_STATE_QUERY", "query filter.IN 'state' is an empty array; IN takes at least one value.");
    }

    [Fact]
    public async Task Query_NotUtf8_400StateQuery()
    {
        using var content = new ByteArrayContent([0x7b, 0xff, 0x7d]);

        using var page = await Http.PostAsync(Path("/v1.0-alpha1/state/statestore/query"), content);

        await AssertErrorAsync(page, HttpStatusCode.BadRequest, "ERR_STATE_QUERY", "query is not UTF-8 text");
    }

    [Fact]
    public async Task Query_UnknownStore_400StateStoreNotFound()
    {
        using var page = await Http.PostAsync(Path("/v1.0-alpha1/state/nope/query"), Json("{}"));

        await AssertErrorAsync(page, HttpStatusCode.BadRequest, "ERR_STATE_STORE_NOT_FOUND", "'nope'");
    }
}
