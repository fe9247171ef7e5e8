using BusRuntime.Contracts;
using BusRuntime.Core.Errors;
using BusRuntime.Core.PubSub;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Core.Tests.PubSub;

public sealed class TopicPublisherTests
{
    private static readonly Dictionary<string, string> NoMetadata = [];

    [Fact]
    public async Task PublishAsync_ValidEvent_SendsTopicEventWhoseMessageIdIsReturned()
    {
        await using var core = await CoreHarness.StartAsync();
        var publisher = core.Get<TopicPublisher>();

        var messageId = await publisher.PublishAsync(
            new PublishRequest("pubsub", "orders", new byte[] { 1, 2, 3 }, "", new Dictionary<string, string> { ["cloudevent.type"] = "order.created", ["tenant"] = "acme" }),
            CancellationToken.None);

        var sent = await core.Harness.Sent.SelectAsync<TopicEvent>().SingleAsync();
        Assert.Equal(messageId, sent.Context.MessageId.ToString());
        Assert.Equal("orders", sent.Context.Message.Topic);
        Assert.Equal("pubsub", sent.Context.Message.PubsubName);
        Assert.Equal("orders", sent.Context.Message.Source);
        Assert.Equal("order.created", sent.Context.Message.Type);
        Assert.Equal("application/json", sent.Context.Message.DataContentType);
        Assert.Equal([1, 2, 3], sent.Context.Message.Data);
        Assert.Equal(new Dictionary<string, string> { ["tenant"] = "acme" }, sent.Context.Message.Metadata);
        Assert.EndsWith(TopicNames.Exchange("pubsub", "orders"), sent.Context.DestinationAddress!.AbsolutePath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "orders", ErrorCode.InvalidArgument, "pubsub_name is empty")]
    [InlineData("kafka", "orders", ErrorCode.ComponentNotFound, "pubsub_name 'kafka' is not a configured pub/sub component; configured: pubsub.")]
    [InlineData("pubsub", "", ErrorCode.InvalidArgument, "topic is empty")]
    [InlineData("pubsub", "orders created", ErrorCode.InvalidArgument, "topic 'orders created' must match")]
    [InlineData("pubsub", "orders/created", ErrorCode.InvalidArgument, "topic 'orders/created' must match")]
    [InlineData("pubsub", "orders_error", ErrorCode.InvalidArgument, "topic 'orders_error' ends with _error or _skipped")]
    [InlineData("pubsub", "orders_skipped", ErrorCode.InvalidArgument, "topic 'orders_skipped' ends with _error or _skipped")]
    public async Task PublishAsync_BadNames_FailsNamingTheField(string pubsubName, string topic, ErrorCode code, string message)
    {
        await using var core = await CoreHarness.StartAsync();
        var publisher = core.Get<TopicPublisher>();

        var error = await Assert.ThrowsAsync<RuntimeException>(() =>
            publisher.PublishAsync(new PublishRequest(pubsubName, topic, Array.Empty<byte>(), "", NoMetadata), CancellationToken.None));

        Assert.Equal(code, error.Code);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.False(await core.Harness.Sent.Any<TopicEvent>());
    }

    [Fact]
    public async Task PublishAsync_PayloadOverMaximum_FailsWithInvalidArgumentNamingTheLimit()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:MaxPayloadBytes"] = "10" });
        var publisher = core.Get<TopicPublisher>();

        var error = await Assert.ThrowsAsync<RuntimeException>(() =>
            publisher.PublishAsync(new PublishRequest("pubsub", "orders", new byte[11], "", NoMetadata), CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Equal("data is 11 bytes, over the maximum of 10 bytes (BusRuntime:MaxPayloadBytes).", error.Message);
    }

    [Fact]
    public async Task PublishAsync_PayloadAtMaximum_IsPublished()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:MaxPayloadBytes"] = "10" });

        var messageId = await core.Get<TopicPublisher>().PublishAsync(new PublishRequest("pubsub", "orders", new byte[10], "", NoMetadata), CancellationToken.None);

        Assert.True(Guid.TryParse(messageId, out _));
    }

    [Fact]
    public async Task PublishAsync_ConfiguredComponents_AcceptsTheirNamesOnly()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "events",
            ["BusRuntime:Components:0:Type"] = "pubsub.bus",
            ["BusRuntime:Components:1:Name"] = "audit",
            ["BusRuntime:Components:1:Type"] = "pubsub.bus",
        });
        var publisher = core.Get<TopicPublisher>();

        await publisher.PublishAsync(new PublishRequest("audit", "orders", Array.Empty<byte>(), "", NoMetadata), CancellationToken.None);
        var error = await Assert.ThrowsAsync<RuntimeException>(() =>
            publisher.PublishAsync(new PublishRequest("pubsub", "orders", Array.Empty<byte>(), "", NoMetadata), CancellationToken.None));

        Assert.Equal(ErrorCode.ComponentNotFound, error.Code);
        Assert.EndsWith("configured: audit, events.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishBulkAsync_OneEntryTooLarge_ReportsItsErrorAndPublishesTheOthers()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?> { ["BusRuntime:MaxPayloadBytes"] = "4" });
        BulkPublishEntry[] entries =
        [
            new("a", new byte[] { 1 }, "text/plain", NoMetadata),
            new("b", new byte[5], "text/plain", NoMetadata),
            new("c", new byte[] { 3 }, "text/plain", new Dictionary<string, string> { ["k"] = "entry" }),
        ];

        var results = await core.Get<TopicPublisher>().PublishBulkAsync("pubsub", "orders", entries, new Dictionary<string, string> { ["k"] = "request", ["r"] = "1" }, TopicEvent.DefaultType, CancellationToken.None);

        Assert.Equal(["a", "b", "c"], results.Select(result => result.EntryId));
        Assert.NotNull(results[0].MessageId);
        Assert.Null(results[1].MessageId);
        Assert.Equal("entries[b].event is 5 bytes, over the maximum of 4 bytes (BusRuntime:MaxPayloadBytes).", results[1].Error);
        Assert.NotNull(results[2].MessageId);
        var sent = await core.Harness.Sent.SelectAsync<TopicEvent>().Take(2).ToListAsync();
        Assert.Equal(2, sent.Count);
        var third = sent.Single(message => message.Context.MessageId.ToString() == results[2].MessageId);
        Assert.Equal(new Dictionary<string, string> { ["k"] = "entry", ["r"] = "1" }, third.Context.Message.Metadata);
    }

    [Theory]
    [InlineData(new string[0], "entries is empty")]
    [InlineData(new[] { "a", "" }, "entries[1].entry_id is empty")]
    [InlineData(new[] { "a", "a" }, "entries[1].entry_id 'a' is used twice")]
    public async Task PublishBulkAsync_BadEntryIds_FailsTheWholeRequest(string[] entryIds, string message)
    {
        await using var core = await CoreHarness.StartAsync();
        var entries = entryIds.Select(id => new BulkPublishEntry(id, Array.Empty<byte>(), "", NoMetadata)).ToList();

        var error = await Assert.ThrowsAsync<RuntimeException>(() =>
            core.Get<TopicPublisher>().PublishBulkAsync("pubsub", "orders", entries, NoMetadata, TopicEvent.DefaultType, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.False(await core.Harness.Sent.Any<TopicEvent>());
    }

    private static Dictionary<string, string?> Scoped(string key, string value) => new()
    {
        ["BusRuntime:Components:0:Name"] = "pubsub",
        ["BusRuntime:Components:0:Type"] = "pubsub.bus",
        [$"BusRuntime:Components:0:Metadata:{key}"] = value,
    };

    [Fact]
    public async Task PublishAsync_TopicOutsideThePublishingScopes_PermissionDeniedNamingAppTopicAndComponentAndNothingSent()
    {
        await using var core = await CoreHarness.StartAsync(Scoped("publishingScopes", "orders=created;billing=invoices"));
        var publisher = core.Get<TopicPublisher>();

        var error = await Assert.ThrowsAsync<RuntimeException>(() =>
            publisher.PublishAsync(new PublishRequest("pubsub", "invoices", Array.Empty<byte>(), "", NoMetadata), CancellationToken.None));

        Assert.Equal(ErrorCode.PermissionDenied, error.Code);
        Assert.Equal("app 'orders' may not publish to topic 'invoices' of pub/sub 'pubsub': the component's publishingScopes grant this app only created.", error.Message);
        Assert.False(await core.Harness.Sent.Any<TopicEvent>());
    }

    [Fact]
    public async Task PublishAsync_TopicInThePublishingScopes_IsPublished()
    {
        await using var core = await CoreHarness.StartAsync(Scoped("publishingScopes", "orders=created;billing=invoices"));

        await core.Get<TopicPublisher>().PublishAsync(new PublishRequest("pubsub", "created", Array.Empty<byte>(), "", NoMetadata), CancellationToken.None);

        Assert.True(await core.Harness.Sent.Any<TopicEvent>());
    }

    [Fact]
    public async Task PublishBulkAsync_TopicNotAllowed_FailsTheWholeRequestWithPermissionDenied()
    {
        await using var core = await CoreHarness.StartAsync(Scoped("allowedTopics", "created"));
        BulkPublishEntry[] entries = [new("a", new byte[] { 1 }, "text/plain", NoMetadata)];

        var error = await Assert.ThrowsAsync<RuntimeException>(() =>
            core.Get<TopicPublisher>().PublishBulkAsync("pubsub", "orders", entries, NoMetadata, TopicEvent.DefaultType, CancellationToken.None));

        Assert.Equal(ErrorCode.PermissionDenied, error.Code);
        Assert.Equal("app 'orders' may not publish to topic 'orders' of pub/sub 'pubsub': it is not one of the component's allowedTopics (created).", error.Message);
        Assert.False(await core.Harness.Sent.Any<TopicEvent>());
    }

    [Theory]
    [InlineData("cloudevent.source")]
    [InlineData("CloudEvent.Source")]
    [InlineData("source")]
    public async Task PublishAsync_MetadataSettingTheSource_InvalidArgumentAndNothingSent(string key)
    {
        await using var core = await CoreHarness.StartAsync();

        var error = await Assert.ThrowsAsync<RuntimeException>(() => core.Get<TopicPublisher>().PublishAsync(
            new PublishRequest("pubsub", "orders", Array.Empty<byte>(), "", new Dictionary<string, string> { [key] = "billing" }), CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Equal($"metadata key '{key}' would set the event's source, which is the publisher's app id as its sidecar stamps it; leave it out.", error.Message);
        Assert.False(await core.Harness.Sent.Any<TopicEvent>());
    }

    [Fact]
    public async Task PublishBulkAsync_MetadataSettingTheSource_RequestFailsOrEntryFailsAndNothingForgedIsSent()
    {
        await using var core = await CoreHarness.StartAsync();
        var publisher = core.Get<TopicPublisher>();
        var forged = new Dictionary<string, string> { ["cloudevent.source"] = "billing" };

        var whole = await Assert.ThrowsAsync<RuntimeException>(() =>
            publisher.PublishBulkAsync("pubsub", "orders", [new("a", new byte[] { 1 }, "", NoMetadata)], forged, TopicEvent.DefaultType, CancellationToken.None));
        var results = await publisher.PublishBulkAsync("pubsub", "orders", [new("a", new byte[] { 1 }, "", forged), new("b", new byte[] { 2 }, "", NoMetadata)], NoMetadata, TopicEvent.DefaultType, CancellationToken.None);

        Assert.Equal(ErrorCode.InvalidArgument, whole.Code);
        Assert.Null(results[0].MessageId);
        Assert.StartsWith("metadata key 'cloudevent.source' would set the event's source", results[0].Error, StringComparison.Ordinal);
        var sent = await core.Harness.Sent.SelectAsync<TopicEvent>().SingleAsync();
        Assert.Equal(results[1].MessageId, sent.Context.MessageId.ToString());
        Assert.Equal("orders", sent.Context.Message.Source);
    }

    [Fact]
    public async Task PublishAsync_TtlInSeconds_SendsTheExpirationExtensionAndABrokerTimeToLiveInsteadOfTheKey()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        await using var core = await CoreHarness.StartAsync(timeProvider: clock);

        await core.Get<TopicPublisher>().PublishAsync(
            new PublishRequest("pubsub", "orders", Array.Empty<byte>(), "", new Dictionary<string, string> { ["ttlInSeconds"] = "90", ["tenant"] = "acme" }),
            CancellationToken.None);

        var sent = await core.Harness.Sent.SelectAsync<TopicEvent>().SingleAsync();
        Assert.Equal(new Dictionary<string, string> { ["tenant"] = "acme", ["expiration"] = "2026-12-07T10:01:30Z" }, sent.Context.Message.Metadata);
        Assert.Equal(TimeSpan.FromSeconds(90), sent.Context.TimeToLive);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("soon")]
    [InlineData("31536001")]
    public async Task PublishAsync_BadTtlInSeconds_InvalidArgumentNamingTheValueAndNothingSent(string ttl)
    {
        await using var core = await CoreHarness.StartAsync();

        var error = await Assert.ThrowsAsync<RuntimeException>(() => core.Get<TopicPublisher>().PublishAsync(
            new PublishRequest("pubsub", "orders", Array.Empty<byte>(), "", new Dictionary<string, string> { ["ttlInSeconds"] = ttl }), CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Equal($"metadata.ttlInSeconds '{ttl}' is not a TTL: give a whole number of seconds from 1 to 31536000.", error.Message);
        Assert.False(await core.Harness.Sent.Any<TopicEvent>());
    }

    [Fact]
    public async Task PublishBulkAsync_OneEntryWithABadTtl_ReportsItsErrorAndPublishesTheOther()
    {
        await using var core = await CoreHarness.StartAsync();
        var entries = new List<BulkPublishEntry>
        {
            new("bad", Array.Empty<byte>(), "", new Dictionary<string, string> { ["ttlInSeconds"] = "never" }),
            new("good", Array.Empty<byte>(), "", new Dictionary<string, string> { ["ttlInSeconds"] = "5" }),
        };

        var results = await core.Get<TopicPublisher>().PublishBulkAsync("pubsub", "orders", entries, NoMetadata, TopicEvent.DefaultType, CancellationToken.None);

        Assert.Contains("'never' is not a TTL", results[0].Error, StringComparison.Ordinal);
        Assert.Null(results[1].Error);
        var sent = await core.Harness.Sent.SelectAsync<TopicEvent>().SingleAsync();
        Assert.Equal(TimeSpan.FromSeconds(5), sent.Context.TimeToLive);
    }
}
