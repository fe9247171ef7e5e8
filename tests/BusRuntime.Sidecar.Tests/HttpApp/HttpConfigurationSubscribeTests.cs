using System.Net;
using System.Text.Json;
using BusRuntime.Core.AppConfiguration;
using BusRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Sidecar.Tests.HttpApp;

public sealed class HttpConfigurationSubscribeTests
{
    [Theory]
    [InlineData("/v1.0")]
    [InlineData("/v1.0-alpha1")]
    public async Task Subscribe_HttpApp_EachChangePostedPerKeyUntilUnsubscribed(string version)
    {
        await using var app = await HttpTestApp.StartAsync();
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port);
        var label = $"sub-{Guid.NewGuid():N}";

        using var subscribed = await sidecar.Http.GetAsync(new Uri($"{version}/configuration/configstore/subscribe?key=a&key=b&metadata.label={label}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, subscribed.StatusCode);
        var id = JsonDocument.Parse(await subscribed.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        Assert.False(string.IsNullOrEmpty(id));

        await SaveAsync(sidecar, label, ("a", "1"), ("c", "3"));
        await app.WaitForAsync(1);
        var pushed = Assert.Single(app.Received);
        Assert.Equal("POST", pushed.Method);
        Assert.Equal("/configuration/configstore/a", pushed.Path);
        Assert.StartsWith("application/json", pushed.ContentType, StringComparison.Ordinal);
        using (var update = JsonDocument.Parse(pushed.Body))
        {
            Assert.Equal(id, update.RootElement.GetProperty("id").GetString());
            var item = update.RootElement.GetProperty("items").GetProperty("a");
            Assert.Equal("1", item.GetProperty("value").GetString());
            Assert.False(string.IsNullOrEmpty(item.GetProperty("version").GetString()));
        }

        using var unsubscribed = await sidecar.Http.GetAsync(new Uri($"{version}/configuration/configstore/{id}/unsubscribe", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
        Assert.True(JsonDocument.Parse(await unsubscribed.Content.ReadAsStringAsync()).RootElement.GetProperty("ok").GetBoolean());
        await SaveAsync(sidecar, label, ("b", "2"));
        await Task.Delay(300);
        Assert.Single(app.Received);
    }

    [Fact]
    public async Task Unsubscribe_UnknownId_Answers500OkFalseWithWhy()
    {
        await using var app = await HttpTestApp.StartAsync();
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port);

        using var response = await sidecar.Http.GetAsync(new Uri("/v1.0/configuration/configstore/nope/unsubscribe", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(body.RootElement.GetProperty("ok").GetBoolean());
        Assert.Contains("no subscription with this id is open", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_NoHttpApp_Answers500AppChannelNil()
    {
        await using var sidecar = await TestSidecar.StartAsync("no-app");

        using var response = await sidecar.Http.GetAsync(new Uri("/v1.0/configuration/configstore/subscribe?key=a", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ERR_APP_CHANNEL_NIL", body.RootElement.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Subscribe_UnknownStore_Answers400StoreNotFound()
    {
        await using var app = await HttpTestApp.StartAsync();
        await using var sidecar = await HttpAppSidecar.StartAsync("shop", app.Port);

        using var response = await sidecar.Http.GetAsync(new Uri("/v1.0/configuration/nostore/subscribe", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ERR_CONFIGURATION_STORE_NOT_FOUND", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task SaveAsync(TestSidecar sidecar, string label, params (string Key, string Content)[] items) =>
        sidecar.Services.GetRequiredService<AppConfigurationManager>().SaveAsync(
            "configstore",
            "",
            [.. items.Select(item => new ConfigurationItem(item.Key, item.Content, "", label, new Dictionary<string, string>(), new Dictionary<string, string>()))],
            CancellationToken.None);
}
