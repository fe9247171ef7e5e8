using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Grpc;

public sealed class PublishEventTests
{
    [Theory]
    [InlineData("", "orders", StatusCode.InvalidArgument, "pubsub_name is empty")]
    [InlineData("pubsub", "", StatusCode.InvalidArgument, "topic is empty")]
    [InlineData("pubsub", "a/b", StatusCode.InvalidArgument, "topic 'a/b' must match")]
    [InlineData("events", "orders", StatusCode.NotFound, "pubsub_name 'events' is not a configured pub/sub component; configured: pubsub.")]
    public async Task PublishEvent_BadNames_ReturnsPreciseStatusNamingTheField(string pubsubName, string topic, StatusCode code, string message)
    {
        await using var sidecar = await TestSidecar.StartAsync("publish-bad");

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = pubsubName, Topic = topic }));

        Assert.Equal(code, error.StatusCode);
        Assert.StartsWith(message, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishEvent_PayloadOneByteOverTheDefaultMaximum_ReturnsInvalidArgumentNamingTheLimit()
    {
        await using var sidecar = await TestSidecar.StartAsync("publish-large");
        var limit = 4 * 1024 * 1024;

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "orders", Data = ByteString.CopyFrom(new byte[limit + 1]) }));
        var atLimit = await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "orders", Data = ByteString.CopyFrom(new byte[limit]) });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal($"data is {limit + 1} bytes, over the maximum of {limit} bytes (BusRuntime:MaxPayloadBytes).", error.Status.Detail);
        Assert.True(Guid.TryParse(atLimit.MessageId, out _));
    }

    [Fact]
    public async Task PublishEvent_ConfigFileLowersTheMaximum_FlagsStillWinOverTheFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"busruntime-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{ "BusRuntime": { "MaxPayloadBytes": 10, "AppId": "from-file" } }""");
        try
        {
            await using var sidecar = await TestSidecar.StartAsync("from-flag", configFile: file);

            var error = await Assert.ThrowsAsync<RpcException>(async () =>
                await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = "orders", Data = ByteString.CopyFrom(new byte[11]) }));
            var info = await sidecar.Http.GetStringAsync(new Uri("/actuator/info", UriKind.Relative));

            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains("maximum of 10 bytes", error.Status.Detail, StringComparison.Ordinal);
            Assert.Contains("\"appId\":\"from-flag\"", info, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task BulkPublishEvent_MixedEntries_ReturnsAMessageIdOrAnErrorPerEntryInOrder()
    {
        await using var sidecar = await TestSidecar.StartAsync("bulk", new Dictionary<string, string?> { ["BusRuntime:MaxPayloadBytes"] = "8" });
        using var call = sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = "bulk" } });
        await call.ResponseStream.MoveNext(CancellationToken.None);

        var response = await sidecar.Runtime.BulkPublishEventAsync(new BulkPublishRequest
        {
            PubsubName = "pubsub",
            Topic = "bulk",
            Entries =
            {
                new BulkPublishRequestEntry { EntryId = "1", Event = ByteString.CopyFromUtf8("one"), ContentType = "text/plain" },
                new BulkPublishRequestEntry { EntryId = "2", Event = ByteString.CopyFromUtf8("far too long"), ContentType = "text/plain" },
                new BulkPublishRequestEntry { EntryId = "3", Event = ByteString.CopyFromUtf8("three"), ContentType = "text/plain" },
            },
        });

        Assert.Equal(["1", "2", "3"], response.Entries.Select(entry => entry.EntryId));
        Assert.True(Guid.TryParse(response.Entries[0].MessageId, out _));
        Assert.Equal("", response.Entries[1].MessageId);
        Assert.Contains("entries[2].event is 12 bytes", response.Entries[1].Error, StringComparison.Ordinal);
        Assert.True(Guid.TryParse(response.Entries[2].MessageId, out _));
        var delivered = new Dictionary<string, string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (delivered.Count < 2 && await call.ResponseStream.MoveNext(timeout.Token))
        {
            var topicEvent = call.ResponseStream.Current.EventMessage;
            delivered[topicEvent.Id] = topicEvent.Data.ToStringUtf8();
            await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { EventProcessed = new SubscribeTopicEventsRequestProcessed { Id = topicEvent.Id } });
        }

        Assert.Equal("one", delivered[response.Entries[0].MessageId]);
        Assert.Equal("three", delivered[response.Entries[2].MessageId]);
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task BulkPublishEvent_DuplicateEntryIds_ReturnsInvalidArgument()
    {
        await using var sidecar = await TestSidecar.StartAsync("bulk-bad");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.BulkPublishEventAsync(new BulkPublishRequest
        {
            PubsubName = "pubsub",
            Topic = "bulk",
            Entries = { new BulkPublishRequestEntry { EntryId = "1" }, new BulkPublishRequestEntry { EntryId = "1" } },
        }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("entries[1].entry_id '1' is used twice; entry ids must be unique in the request.", error.Status.Detail);
    }
}
