using System.Net;
using System.Text;
using System.Text.Json;

namespace BusRuntime.Sidecar.Tests.Http;

/// <summary>Calls and checks shared by the Dapr HTTP route tests.</summary>
internal static class DaprHttp
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Uri Path(string path) => new(path, UriKind.Relative);

    /// <summary>Asserts a Dapr error answer: its status and errorCode, and that the message mentions <paramref name="messagePart"/>.</summary>
    public static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode, string messagePart)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        Assert.Equal(errorCode, document.RootElement.GetProperty("errorCode").GetString());
        Assert.Contains(messagePart, document.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
