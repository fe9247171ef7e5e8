using BusRuntime.Protos.V1;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.PubSub;

/// <summary>
/// A map with an empty or white-space key, or two keys that differ only in case, cannot cross the bus (its JSON
/// reader refuses such a property name and reads names ignoring case): the sidecar refuses it when it is sent,
/// rather than confirm an event or change that then faults and reaches nobody.
/// </summary>
public sealed class BusMetadataKeyTests(EmbeddedSidecar fixture) : IClassFixture<EmbeddedSidecar>
{
    [Theory]
    [InlineData("", "", "metadata has an empty key; every key must name something.")]
    [InlineData(" \t", "", "metadata has the key ' \\u0009', only white space; every key must name something.")]
    [InlineData("Tenant", "tenant", "metadata has the keys 'Tenant' and 'tenant', which differ only in case; keys on the bus are compared ignoring case, so keep one.")]
    public async Task PublishEvent_KeysTheBusCannotCarry_InvalidArgumentNamingThem(string key, string otherKey, string message)
    {
        var request = new PublishEventRequest { PubsubName = "pubsub", Topic = EmbeddedSidecar.Key("bad-keys"), Data = ByteString.CopyFromUtf8("{}") };
        request.Metadata[key] = "a";
        if (otherKey.Length > 0)
        {
            request.Metadata[otherKey] = "b";
        }

        var exception = await Assert.ThrowsAsync<RpcException>(() => fixture.Sidecar.Runtime.PublishEventAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Equal(message, exception.Status.Detail);
    }

    [Fact]
    public async Task BulkPublishEvent_EntryKeyDifferingOnlyInCaseFromTheRequests_OverridesItAndTheEventIsDelivered()
    {
        var topic = EmbeddedSidecar.Key("case-override");
        using var subscription = fixture.Sidecar.Runtime.SubscribeTopicEvents(deadline: DateTime.UtcNow.AddSeconds(30));
        await subscription.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = topic } });
        Assert.True(await subscription.ResponseStream.MoveNext(CancellationToken.None));

        var response = await fixture.Sidecar.Runtime.BulkPublishEventAsync(new BulkPublishRequest
        {
            PubsubName = "pubsub",
            Topic = topic,
            Metadata = { ["Tenant"] = "request's" },
            Entries = { new BulkPublishRequestEntry { EntryId = "one", Event = ByteString.CopyFromUtf8("{}"), Metadata = { ["tenant"] = "entry's" } } },
        });
        Assert.True(await subscription.ResponseStream.MoveNext(CancellationToken.None));

        var entry = Assert.Single(response.Entries);
        Assert.Equal("", entry.Error);
        Assert.Equal(entry.MessageId, subscription.ResponseStream.Current.EventMessage.Id);
        Assert.Equal("entry's", subscription.ResponseStream.Current.EventMessage.Extensions.Fields["Tenant"].StringValue);
    }

    [Fact]
    public async Task BulkPublishEvent_EntryMetadataWithAnEmptyKey_ThatEntryFailsTheOtherIsPublished()
    {
        var response = await fixture.Sidecar.Runtime.BulkPublishEventAsync(new BulkPublishRequest
        {
            PubsubName = "pubsub",
            Topic = EmbeddedSidecar.Key("empty-key"),
            Entries =
            {
                new BulkPublishRequestEntry { EntryId = "bad", Event = ByteString.CopyFromUtf8("1"), Metadata = { [""] = "x" } },
                new BulkPublishRequestEntry { EntryId = "good", Event = ByteString.CopyFromUtf8("2") },
            },
        });

        Assert.Equal("entries[bad].metadata has an empty key; every key must name something.", response.Entries.Single(entry => entry.EntryId == "bad").Error);
        Assert.NotEmpty(response.Entries.Single(entry => entry.EntryId == "good").MessageId);
    }

    [Fact]
    public async Task SaveConfiguration_TagWithAnEmptyName_InvalidArgumentAndNothingSaved()
    {
        var key = EmbeddedSidecar.Key("empty-tag");

        var exception = await Assert.ThrowsAsync<RpcException>(() => fixture.Sidecar.Runtime.SaveConfigurationAsync(new SaveConfigurationRequest
        {
            StoreName = "configstore",
            AppId = "embedded",
            Items = { new ConfigurationItem { Key = key, Content = "v", Tags = { [""] = "x" } } },
        }).ResponseAsync);
        var read = await fixture.Sidecar.Runtime.GetConfigurationAsync(new GetConfigurationRequest { StoreName = "configstore", AppId = "embedded", Keys = { key } });

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Contains("items[0].tags has an empty key", exception.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(read.Items);
    }
}
