using BusRuntime.Core.Journal;

namespace BusRuntime.Core.Tests.Journal;

public sealed class JournalVisibilityTests
{
    [Theory]
    [InlineData("rabbitmq://127.0.0.1/busruntime.app.billing.pubsub.orders", "billing")]
    [InlineData("rabbitmq://broker:5672/prod/busruntime.app.billing.pubsub.orders?bind=true", "billing")]
    [InlineData("loopback://localhost/busruntime.app.billing-eu.invoke", "billing-eu")]
    [InlineData("queue:busruntime.app.billing.pubsub.orders", "billing")]
    [InlineData("rabbitmq://127.0.0.1/busruntime.app.billing.pubsub.orders_error", "billing")]
    [InlineData("rabbitmq://127.0.0.1/busruntime.app.billing.invoke_error", "billing")]
    [InlineData("rabbitmq://127.0.0.1/busruntime.app.billing.busruntime-config-0f8e4c1d2b3a49c8a1b2c3d4e5f60718", null)]
    [InlineData("rabbitmq://127.0.0.1/busruntime.app.billing.sidecar-0f8e4c1d2b3a49c8a1b2c3d4e5f60718", null)]
    [InlineData("rabbitmq://127.0.0.1/busruntime.app.billing.invoker", null)]
    [InlineData("rabbitmq://127.0.0.1/busruntime.topic.pubsub.orders", null)]
    [InlineData("exchange:busruntime.invoke.billing", null)]
    [InlineData("rabbitmq://127.0.0.1/host_bus_abc?temporary=true", null)]
    [InlineData("rabbitmq://127.0.0.1/busruntime.app.billing", null)]
    [InlineData("rabbitmq://127.0.0.1/busruntime.app..pubsub.orders", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void AppOfQueue_Address_IsTheAppWhoseQueueItIs(string? address, string? appId) =>
        Assert.Equal(appId, JournalVisibility.AppOfQueue(address));

    [Fact]
    public void IsOf_SourceOrDestinationApp_OnlyThatApp()
    {
        var delivered = new JournalEntry
        {
            MessageId = "m",
            Kind = "topic-event",
            SourceAppId = "shop",
            DestinationAddress = "rabbitmq://127.0.0.1/busruntime.app.billing.pubsub.orders",
            RecordedAt = DateTimeOffset.UnixEpoch,
            Outcome = JournalOutcome.Delivered,
        };

        Assert.True(JournalVisibility.IsOf(delivered, "shop"));
        Assert.True(JournalVisibility.IsOf(delivered, "billing"));
        Assert.False(JournalVisibility.IsOf(delivered, "audit"));
    }
}
