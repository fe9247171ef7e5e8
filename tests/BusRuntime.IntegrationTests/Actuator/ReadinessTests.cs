using System.Net;
using System.Text.Json;
using BusRuntime.IntegrationTests.PubSub;
using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests.Actuator;

[Collection(RabbitMqCollection.Name)]
public sealed class ReadinessTests
{
    [Fact]
    public async Task Readiness_BrokerAnswers_ReturnsUpWithTheBusUp()
    {
        await using var sidecar = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings());
        await sidecar.WaitUntilReadyAsync();

        using var response = await sidecar.Http.GetAsync(new Uri("/actuator/health/readiness", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("UP", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("UP", body.RootElement.GetProperty("components").GetProperty("bus").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_BrokerUnreachable_Returns503AndIsNotUp()
    {
        await using var sidecar = await BrokerUnavailableTests.StartWithoutBrokerAsync(RabbitMqFixture.Unique("shop"));

        // Some time for the bus to try the broker and fail: readiness must still not be UP after it.
        for (var attempt = 0; attempt < 10; attempt++)
        {
            using var response = await sidecar.Http.GetAsync(new Uri("/actuator/health/readiness", UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            using var body = JsonDocument.Parse(text);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotEqual("UP", body.RootElement.GetProperty("status").GetString());
            Assert.NotEqual("UP", body.RootElement.GetProperty("components").GetProperty("bus").GetProperty("status").GetString());
            await Task.Delay(200);
        }
    }
}
