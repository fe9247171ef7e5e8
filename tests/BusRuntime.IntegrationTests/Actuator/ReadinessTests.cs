using System.Net;
using System.Text.Json;
using BusRuntime.IntegrationTests.PubSub;
using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests.Actuator;

[Collection(RabbitMqCollection.Name)]
public sealed class ReadinessTests(RabbitMqFixture broker)
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

    [Fact]
    public async Task Readiness_BrokerStopsAndComesBack_GoesDownWithoutAnySubscriptionAndUpAgain()
    {
        await using var sidecar = await TestSidecar.StartAsync(RabbitMqFixture.Unique("idle"), RabbitMqFixture.Settings(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:MassTransit"] = "None",
            ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
        }));
        await sidecar.WaitUntilReadyAsync();

        await broker.StopBrokerAsync();
        try
        {
            // Nobody asked for readiness while it was UP: the sidecar must know it was, and say DOWN, not INIT.
            await Poll.UntilAsync(async () => await StatusAsync(sidecar) == (HttpStatusCode.ServiceUnavailable, "DOWN"), TimeSpan.FromSeconds(30), () => "readiness did not turn DOWN");
        }
        finally
        {
            await broker.StartBrokerAsync();
        }

        await Poll.UntilAsync(async () => await StatusAsync(sidecar) == (HttpStatusCode.OK, "UP"), TimeSpan.FromSeconds(60), () => "readiness did not come back UP");
    }

    private static async Task<(HttpStatusCode Code, string? Status)> StatusAsync(TestSidecar sidecar)
    {
        using var response = await sidecar.Http.GetAsync(new Uri("/actuator/health/readiness", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.GetProperty("status").GetString());
    }
}
