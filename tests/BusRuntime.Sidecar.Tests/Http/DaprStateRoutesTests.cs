using System.Net;
using System.Text.Json;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;

namespace BusRuntime.Sidecar.Tests.Http;

public sealed class DaprStateRoutesTests(EmbeddedSidecar fixture) : IClassFixture<EmbeddedSidecar>
{
    private HttpClient Http => fixture.Sidecar.Http;

    [Fact]
    public async Task SaveThenGet_JsonValue_Returns200WithTheValueAndAnETag()
    {
        var key = EmbeddedSidecar.Key("http-state");

        using var saved = await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"key":"{{{key}}}","value":{"name":"Ada","age":36}}]"""));
        using var read = await Http.GetAsync(Path($"/v1.0/state/statestore/{key}"));

        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("application/json", read.Content.Headers.ContentType?.MediaType);
        using var value = JsonDocument.Parse(await read.Content.ReadAsStringAsync());
        Assert.Equal("Ada", value.RootElement.GetProperty("name").GetString());
        Assert.Equal(36, value.RootElement.GetProperty("age").GetInt32());
        Assert.Matches("^[0-9]+$", Assert.Single(read.Headers.GetValues("ETag")));
    }

    [Fact]
    public async Task Save_StringValue_IsStoredAsItsJsonText()
    {
        var key = EmbeddedSidecar.Key("http-string");

        using var saved = await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"key":"{{{key}}}","value":"plain"}]"""));
        var read = await Http.GetStringAsync(Path($"/v1.0/state/statestore/{key}"));

        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        Assert.Equal("\"plain\"", read);
    }

    [Fact]
    public async Task Get_MissingKey_Returns204()
    {
        using var read = await Http.GetAsync(Path($"/v1.0/state/statestore/{EmbeddedSidecar.Key("missing")}"));

        Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        Assert.Empty(await read.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_UnknownStore_Returns400StateStoreNotFound()
    {
        using var read = await Http.GetAsync(Path("/v1.0/state/nosuchstore/k"));

        await AssertErrorAsync(read, HttpStatusCode.BadRequest, "ERR_STATE_STORE_NOT_FOUND", "nosuchstore");
    }

    [Fact]
    public async Task Save_UnknownStoreAndBadBody_ReportsTheStoreFirstAsDapr()
    {
        using var saved = await Http.PostAsync(Path("/v1.0/state/nosuchstore"), Json("not json"));

        await AssertErrorAsync(saved, HttpStatusCode.BadRequest, "ERR_STATE_STORE_NOT_FOUND", "nosuchstore");
    }

    [Theory]
    [InlineData("not json", "the body is not JSON")]
    [InlineData("", "the body is empty")]
    [InlineData("""{"key":"a","value":1}""", "must be an array")]
    [InlineData("""[{"key":5,"value":1}]""", "[0].key is a JSON number")]
    [InlineData("""[{"key":"a","etag":7}]""", "[0].etag is a JSON number")]
    [InlineData("""[{"key":"a","metadata":{"ttlInSeconds":5}}]""", "[0].metadata.ttlInSeconds is a JSON number")]
    [InlineData("""[{"key":"a","options":{"concurrency":"sometimes"}}]""", "[0].options.concurrency 'sometimes' is not one of")]
    public async Task Save_MalformedBody_Returns400MalformedRequestNamingTheField(string body, string messagePart)
    {
        using var saved = await Http.PostAsync(Path("/v1.0/state/statestore"), Json(body));

        await AssertErrorAsync(saved, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", messagePart);
    }

    [Fact]
    public async Task Save_EmptyKey_Returns400MalformedRequest()
    {
        using var saved = await Http.PostAsync(Path("/v1.0/state/statestore"), Json("""[{"key":"","value":1}]"""));

        await AssertErrorAsync(saved, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "key");
    }

    [Fact]
    public async Task Save_EmptyArray_Returns204()
    {
        using var saved = await Http.PostAsync(Path("/v1.0/state/statestore"), Json("[]"));

        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
    }

    [Fact]
    public async Task Save_StaleETag_Returns409AndKeepsTheValue()
    {
        var key = EmbeddedSidecar.Key("http-etag");
        await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"key":"{{{key}}}","value":1}]"""));
        var etag = await ETagOfAsync(key);
        await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"key":"{{{key}}}","value":2,"etag":"{{{etag}}}"}]"""));

        using var stale = await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"key":"{{{key}}}","value":3,"etag":"{{{etag}}}"}]"""));

        await AssertErrorAsync(stale, HttpStatusCode.Conflict, "ERR_STATE_SAVE", key);
        Assert.Equal("2", await Http.GetStringAsync(Path($"/v1.0/state/statestore/{key}")));
    }

    [Fact]
    public async Task Save_FirstWriteOnAnExistingKey_Returns409()
    {
        var key = EmbeddedSidecar.Key("http-first");
        await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"key":"{{{key}}}","value":1}]"""));

        using var second = await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"key":"{{{key}}}","value":2,"options":{"concurrency":"first-write"}}]"""));

        await AssertErrorAsync(second, HttpStatusCode.Conflict, "ERR_STATE_SAVE", key);
    }

    [Fact]
    public async Task Save_NotAnETag_Returns400()
    {
        using var saved = await Http.PostAsync(Path("/v1.0/state/statestore"), Json("""[{"key":"a","value":1,"etag":"abc"}]"""));

        await AssertErrorAsync(saved, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "'abc' is not an etag");
    }

    [Fact]
    public async Task Save_TtlInQueryMetadata_ReturnsTheExpiryAsMetadataHeader()
    {
        var key = EmbeddedSidecar.Key("http-ttl");

        using var saved = await Http.PostAsync(Path("/v1.0/state/statestore?metadata.ttlInSeconds=600"), Json($$$"""[{"key":"{{{key}}}","value":1}]"""));
        using var read = await Http.GetAsync(Path($"/v1.0/state/statestore/{key}"));

        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        Assert.True(read.Headers.TryGetValues("metadata.ttlExpireTime", out var expiry), "no metadata.ttlExpireTime header");
        Assert.True(DateTimeOffset.Parse(Assert.Single(expiry), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Delete_WithMatchingIfMatch_Returns204AndTheKeyIsGone()
    {
        var key = EmbeddedSidecar.Key("http-delete");
        await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"key":"{{{key}}}","value":1}]"""));
        var etag = await ETagOfAsync(key);

        using var request = new HttpRequestMessage(HttpMethod.Delete, Path($"/v1.0/state/statestore/{key}"));
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        using var deleted = await Http.SendAsync(request);
        using var read = await Http.GetAsync(Path($"/v1.0/state/statestore/{key}"));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
    }

    [Fact]
    public async Task Delete_WithStaleIfMatch_Returns409AndKeepsTheKey()
    {
        var key = EmbeddedSidecar.Key("http-delete-stale");
        await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"key":"{{{key}}}","value":1}]"""));
        var etag = await ETagOfAsync(key);
        await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"key":"{{{key}}}","value":2}]"""));

        using var request = new HttpRequestMessage(HttpMethod.Delete, Path($"/v1.0/state/statestore/{key}"));
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        using var deleted = await Http.SendAsync(request);

        await AssertErrorAsync(deleted, HttpStatusCode.Conflict, "ERR_STATE_DELETE", key);
        Assert.Equal("2", await Http.GetStringAsync(Path($"/v1.0/state/statestore/{key}")));
    }

    [Fact]
    public async Task Delete_FirstWriteWithoutIfMatch_Returns400()
    {
        using var deleted = await Http.DeleteAsync(Path($"/v1.0/state/statestore/{EmbeddedSidecar.Key("k")}?concurrency=first-write"));

        await AssertErrorAsync(deleted, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "FIRST_WRITE delete without an etag");
    }

    [Fact]
    public async Task Delete_UnknownStore_Returns400StateStoreNotFound()
    {
        using var deleted = await Http.DeleteAsync(Path("/v1.0/state/nosuchstore/k"));

        await AssertErrorAsync(deleted, HttpStatusCode.BadRequest, "ERR_STATE_STORE_NOT_FOUND", "nosuchstore");
    }

    [Fact]
    public async Task Bulk_SomeKeysMissing_ReturnsEveryKeyWithDataAndETagOnlyForThoseFound()
    {
        var found = EmbeddedSidecar.Key("http-bulk");
        var missing = EmbeddedSidecar.Key("http-bulk-missing");
        await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"key":"{{{found}}}","value":{"n":1}}]"""));

        using var response = await Http.PostAsync(Path("/v1.0/state/statestore/bulk"), Json($$$"""{"keys":["{{{found}}}","{{{missing}}}"],"parallelism":2}"""));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = body.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(found, items[0].GetProperty("key").GetString());
        Assert.Equal(1, items[0].GetProperty("data").GetProperty("n").GetInt32());
        Assert.False(string.IsNullOrEmpty(items[0].GetProperty("etag").GetString()));
        Assert.Equal(missing, items[1].GetProperty("key").GetString());
        Assert.False(items[1].TryGetProperty("data", out _));
        Assert.False(items[1].TryGetProperty("etag", out _));
    }

    [Fact]
    public async Task Bulk_KeysNotAnArray_Returns400()
    {
        using var response = await Http.PostAsync(Path("/v1.0/state/statestore/bulk"), Json("""{"keys":"a"}"""));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "keys is a JSON string");
    }

    [Fact]
    public async Task Transaction_UpsertAndDelete_AppliesBoth()
    {
        var kept = EmbeddedSidecar.Key("http-tx");
        var removed = EmbeddedSidecar.Key("http-tx-removed");
        await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"key":"{{{removed}}}","value":1}]"""));

        using var response = await Http.PostAsync(Path("/v1.0/state/statestore/transaction"), Json($$$"""
            {"operations":[
              {"operation":"upsert","request":{"key":"{{{kept}}}","value":"v"}},
              {"operation":"delete","request":{"key":"{{{removed}}}"}}
            ]}
            """));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("\"v\"", await Http.GetStringAsync(Path($"/v1.0/state/statestore/{kept}")));
        using var gone = await Http.GetAsync(Path($"/v1.0/state/statestore/{removed}"));
        Assert.Equal(HttpStatusCode.NoContent, gone.StatusCode);
    }

    [Fact]
    public async Task Transaction_StaleETag_Returns409AndAppliesNothing()
    {
        var key = EmbeddedSidecar.Key("http-tx-stale");
        var other = EmbeddedSidecar.Key("http-tx-other");
        await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"key":"{{{key}}}","value":1}]"""));

        using var response = await Http.PostAsync(Path("/v1.0/state/statestore/transaction"), Json($$$"""
            {"operations":[
              {"operation":"upsert","request":{"key":"{{{other}}}","value":1}},
              {"operation":"upsert","request":{"key":"{{{key}}}","value":2,"etag":"999999"}}
            ]}
            """));

        await AssertErrorAsync(response, HttpStatusCode.Conflict, "ERR_STATE_TRANSACTION", key);
        using var notWritten = await Http.GetAsync(Path($"/v1.0/state/statestore/{other}"));
        Assert.Equal(HttpStatusCode.NoContent, notWritten.StatusCode);
    }

    [Fact]
    public async Task Transaction_UnknownOperation_Returns400NotSupported()
    {
        using var response = await Http.PostAsync(Path("/v1.0/state/statestore/transaction"), Json("""{"operations":[{"operation":"merge","request":{"key":"a"}}]}"""));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ERR_NOT_SUPPORTED_STATE_OPERATION", "operation type merge not supported");
    }

    [Fact]
    public async Task Transaction_UnknownStore_Returns400StateStoreNotFound()
    {
        using var response = await Http.PostAsync(Path("/v1.0/state/nosuchstore/transaction"), Json("""{"operations":[]}"""));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ERR_STATE_STORE_NOT_FOUND", "nosuchstore");
    }

    [Fact]
    public async Task Save_EmptyETagOnAnExistingKey_MeansNoETagAsInDapr()
    {
        var key = EmbeddedSidecar.Key("http-empty-etag");
        await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"key":"{{{key}}}","value":1}]"""));

        using var saved = await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"key":"{{{key}}}","value":2,"etag":""}]"""));

        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        Assert.Equal("2", await Http.GetStringAsync(Path($"/v1.0/state/statestore/{key}")));
    }

    [Fact]
    public async Task Save_FieldNamesInAnotherCase_AreReadAsDaprsGoDecoderReadsThem()
    {
        var key = EmbeddedSidecar.Key("http-case");

        using var saved = await Http.PostAsync(Path("/v1.0/state/statestore"), Json($$$"""[{"Key":"{{{key}}}","Value":{"n":1}}]"""));

        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        Assert.Equal("""{"n":1}""", await Http.GetStringAsync(Path($"/v1.0/state/statestore/{key}")));
    }

    [Theory]
    [InlineData("/v1.0/state/statestore/bulk", "{not json", "the body is not JSON")]
    [InlineData("/v1.0/state/statestore/bulk", "[]", "the body is a JSON array; it must be an object")]
    [InlineData("/v1.0/state/statestore/transaction", "{not json", "the body is not JSON")]
    [InlineData("/v1.0/state/statestore/transaction", """{"operations":{}}""", "operations is a JSON object")]
    [InlineData("/v1.0/state/statestore/transaction", """{"operations":[{"operation":"upsert"}]}""", "operations[0].request is missing")]
    [InlineData("/v1.0/state/statestore/transaction", """{"operations":[{"operation":"upsert","request":{"key":"a"}}],"metadata":{"ttlInSeconds":1}}""", "metadata.ttlInSeconds is a JSON number")]
    public async Task BulkAndTransaction_MalformedBody_Returns400NamingTheField(string path, string body, string messagePart)
    {
        using var response = await Http.PostAsync(Path(path), Json(body));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", messagePart);
    }

    private async Task<string> ETagOfAsync(string key)
    {
        using var read = await Http.GetAsync(Path($"/v1.0/state/statestore/{key}"));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        return Assert.Single(read.Headers.GetValues("ETag"));
    }
}
