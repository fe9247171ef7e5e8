using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;

namespace BusRuntime.IntegrationTests.Security;

/// <summary>
/// Sidecars on the broker's TLS listener (amqps://127.0.0.1:5671, with the certificate scripts/dev-services.sh
/// made): they publish and deliver when they trust its CA, and say why they are not ready when they do not.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RabbitMqTlsTests(RabbitMqFixture broker, ITestOutputHelper output)
{
    private const string TlsAddress = "amqps://guest:guest@127.0.0.1:5671/";

    private static Dictionary<string, string?> TlsSettings(string? caCertificate) => new(StringComparer.Ordinal)
    {
        ["BusRuntime:Transport"] = "RabbitMq",
        ["BusRuntime:RabbitMq"] = TlsAddress,
        ["BusRuntime:RabbitMqCaCertificate"] = caCertificate,
    };

    [Fact]
    public async Task PublishEvent_AmqpsTrustingTheBrokersCa_DeliversToASubscriberOnTls()
    {
        await using var entities = broker.Track();
        var topic = entities.Topic("orders");
        var billing = RabbitMqFixture.Unique("billing");
        var queue = entities.Subscription(billing, topic);
        await using var subscriberSidecar = await TestSidecar.StartAsync(billing, TlsSettings(DevCertificates.CaPath));
        await using var publisher = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), TlsSettings(DevCertificates.CaPath));
        await using var subscriber = await StreamSubscriber.OpenAsync(subscriberSidecar, topic);
        await publisher.WaitUntilReadyAsync();

        var published = await publisher.Runtime.PublishEventAsync(new PublishEventRequest
        {
            PubsubName = RabbitMqFixture.PubsubName,
            Topic = topic,
            Data = ByteString.CopyFromUtf8("""{"order":1}"""),
            DataContentType = "application/json",
        });
        await Poll.UntilAsync(() => subscriber.Received.Contains(published.MessageId), TimeSpan.FromSeconds(30), () => $"event {published.MessageId} was not delivered over amqps");

        // The dead-letter tools open a connection of their own: it goes over TLS too.
        var deadLetters = await subscriberSidecar.Operations.ListDeadLettersAsync(new ListDeadLettersRequest { Queue = queue, Limit = 10 });
        Assert.Empty(deadLetters.Messages);
    }

    [Fact]
    public async Task Start_AmqpsWithAnotherCa_NotReadySayingTheCertificateDoesNotChainToIt()
    {
        using var certificates = new TestCertificates();
        var otherCa = certificates.OtherCaPath();
        await using var sidecar = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), Quiet(TlsSettings(otherCa)));

        var reason = await WaitForBusReasonAsync(sidecar, "does not chain to a CA in BusRuntime:RabbitMqCaCertificate");

        Assert.Contains($"does not chain to a CA in BusRuntime:RabbitMqCaCertificate '{otherCa}'", reason, StringComparison.Ordinal);
        Assert.Contains("issued by CN=BusRuntime development CA", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("guest:guest", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AmqpsWithoutTheCa_NotReadySayingTheMachineDoesNotTrustTheCertificate()
    {
        await using var sidecar = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), Quiet(TlsSettings(null)));

        var reason = await WaitForBusReasonAsync(sidecar, "is not trusted by this machine");

        Assert.Contains("set BusRuntime:RabbitMqCaCertificate", reason, StringComparison.Ordinal);
    }

    /// <summary>Waits until the bus's readiness is not UP and its description says <paramref name="expected"/>; returns the description.</summary>
    private async Task<string> WaitForBusReasonAsync(TestSidecar sidecar, string expected)
    {
        var last = "";
        await Poll.UntilAsync(
            async () =>
            {
                using var response = await sidecar.Http.GetAsync(new Uri("/actuator/health/readiness", UriKind.Relative));
                last = await response.Content.ReadAsStringAsync();
                return !response.IsSuccessStatusCode && last.Contains(expected, StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(30),
            () => $"readiness never said '{expected}'; last: {last}");
        output.WriteLine(last);
        return last;
    }

    // The bus failing to connect is what these tests expect; its warnings would bury the test output.
    private static Dictionary<string, string?> Quiet(Dictionary<string, string?> settings)
    {
        settings["Logging:LogLevel:MassTransit"] = "None";
        settings["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None";
        return settings;
    }
}
