using BusRuntime.Contracts;
using BusRuntime.Core.Journal;

namespace BusRuntime.Core.Tests.Journal;

public sealed class JournalRedactionTests
{
    [Fact]
    public void Redact_InvokeRequestWithCredentialsInItsMetadata_ReplacesOnlyThoseValues()
    {
        var request = new InvokeRequest
        {
            AppId = "billing",
            Method = "invoices",
            Source = "shop",
            Metadata = new Dictionary<string, string> { ["Authorization"] = "Bearer abc", ["x-api-key"] = "k", ["x-tenant"] = "acme" },
        };

        var redacted = (InvokeRequest)JournalRedaction.Redact(request);

        Assert.Equal("***", redacted.Metadata["Authorization"]);
        Assert.Equal("***", redacted.Metadata["x-api-key"]);
        Assert.Equal("acme", redacted.Metadata["x-tenant"]);
        Assert.Equal("Bearer abc", request.Metadata["Authorization"]);
    }

    [Fact]
    public void Redact_InvokeResponseHeadersAndTrailers_ReplacesCredentials()
    {
        var response = new InvokeResponse
        {
            Headers = new Dictionary<string, string> { ["set-cookie"] = "session=1", ["x-request-id"] = "7" },
            Trailers = new Dictionary<string, string> { ["x-refresh-token"] = "t" },
        };

        var redacted = (InvokeResponse)JournalRedaction.Redact(response);

        Assert.Equal(("***", "7", "***"), (redacted.Headers["set-cookie"], redacted.Headers["x-request-id"], redacted.Trailers["x-refresh-token"]));
    }

    [Fact]
    public void RedactIfSensitive_NoSensitiveName_KeepsTheValuesThemselves()
    {
        var headers = new Dictionary<string, string> { ["traceparent"] = "00-1", ["MT-Host-ProcessId"] = "7" };

        Assert.Same(headers, JournalRedaction.RedactIfSensitive(headers));
    }

    [Fact]
    public void RedactIfSensitive_SensitiveName_ReplacesItsValueInACopy()
    {
        var headers = new Dictionary<string, string> { ["traceparent"] = "00-1", ["Authorization"] = "Bearer abc" };

        var redacted = JournalRedaction.RedactIfSensitive(headers);

        Assert.Equal(("00-1", "***", "Bearer abc"), (redacted["traceparent"], redacted["Authorization"], headers["Authorization"]));
    }

    [Theory]
    [InlineData("authorization", true)]
    [InlineData("X-Auth-Token", true)]
    [InlineData("client_secret", true)]
    [InlineData("Set-Cookie", true)]
    [InlineData("X-APIKEY", true)]
    [InlineData("x-Api-Key", true)]
    [InlineData("db-PASSWORD", true)]
    [InlineData("traceparent", false)]
    [InlineData("MT-Activity-Id", false)]
    public void IsSensitive_HeaderName_SaysWhetherItsValueIsKeptOut(string name, bool sensitive) =>
        Assert.Equal(sensitive, JournalRedaction.IsSensitive(name));
}
