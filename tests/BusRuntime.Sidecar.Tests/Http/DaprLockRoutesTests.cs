using System.Net;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;

namespace BusRuntime.Sidecar.Tests.Http;

/// <summary>POST /v1.0-alpha1/lock/{store} and /unlock/{store} with Dapr's bodies.</summary>
public sealed class DaprLockRoutesTests(EmbeddedSidecar fixture) : IClassFixture<EmbeddedSidecar>
{
    private HttpClient Http => fixture.Sidecar.Http;

    [Fact]
    public async Task Lock_FreeThenTaken_ReturnsSuccessTrueThenFalse()
    {
        var resource = EmbeddedSidecar.Key("http-lock");

        using var first = await Http.PostAsync(Path("/v1.0-alpha1/lock/lockstore"), Json($$"""{"resourceId":"{{resource}}","lockOwner":"a","expiryInSeconds":60}"""));
        using var second = await Http.PostAsync(Path("/v1.0-alpha1/lock/lockstore"), Json($$"""{"resource_id":"{{resource}}","lock_owner":"b","expiry_in_seconds":"60"}"""));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("""{"success":true}""", await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("""{"success":false}""", await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unlock_OtherOwnerThenOwnerThenAgain_ReturnsStatus2Then0Then1()
    {
        var resource = EmbeddedSidecar.Key("http-unlock");
        using var locked = await Http.PostAsync(Path("/v1.0-alpha1/lock/lockstore"), Json($$"""{"resourceId":"{{resource}}","lockOwner":"a","expiryInSeconds":60}"""));

        using var byOther = await Http.PostAsync(Path("/v1.0-alpha1/unlock/lockstore"), Json($$"""{"resourceId":"{{resource}}","lockOwner":"b"}"""));
        using var byOwner = await Http.PostAsync(Path("/v1.0-alpha1/unlock/lockstore"), Json($$"""{"resourceId":"{{resource}}","lockOwner":"a"}"""));
        using var again = await Http.PostAsync(Path("/v1.0-alpha1/unlock/lockstore"), Json($$"""{"resourceId":"{{resource}}","lockOwner":"a"}"""));

        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Equal("""{"status":2}""", await byOther.Content.ReadAsStringAsync());
        Assert.Equal("""{"status":0}""", await byOwner.Content.ReadAsStringAsync());
        Assert.Equal("""{"status":1}""", await again.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/v1.0-alpha1/lock/lockstore", """{"resourceId":"r","lockOwner":"a","expiryInSeconds":0}""", "expiryInSeconds is 0")]
    [InlineData("/v1.0-alpha1/lock/lockstore", """{"resourceId":"r","lockOwner":"a","expiryInSeconds":1.5}""", "expiryInSeconds is '1.5'")]
    [InlineData("/v1.0-alpha1/lock/lockstore", """{"resourceId":"","lockOwner":"a","expiryInSeconds":5}""", "resource_id")]
    [InlineData("/v1.0-alpha1/lock/lockstore", """{"resourceId":"r","lockOwner":7,"expiryInSeconds":5}""", "lockOwner is a JSON number")]
    [InlineData("/v1.0-alpha1/lock/lockstore", """[1]""", "must be an object")]
    [InlineData("/v1.0-alpha1/unlock/lockstore", """{"resourceId":"r"}""", "lock_owner")]
    [InlineData("/v1.0-alpha1/unlock/lockstore", """not json""", "the body is not JSON")]
    public async Task Lock_InvalidRequest_Returns400MalformedRequestNamingTheField(string route, string body, string messagePart)
    {
        using var response = await Http.PostAsync(Path(route), Json(body));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", messagePart);
    }

    [Theory]
    [InlineData("/v1.0-alpha1/lock/nostore")]
    [InlineData("/v1.0-alpha1/unlock/nostore")]
    public async Task Lock_UnknownStore_Returns400LockStoreNotFound(string route)
    {
        using var response = await Http.PostAsync(Path(route), Json("""{"resourceId":"r","lockOwner":"a","expiryInSeconds":5}"""));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ERR_LOCK_STORE_NOT_FOUND", "'nostore' is not a configured lock store");
    }
}
