using BusRuntime.Protos.Layotto.Runtime.V1;
using BusRuntime.Testing;
using Google.Protobuf;

namespace BusRuntime.Sidecar.Tests.Layotto;

/// <summary>
/// The sidecar calling an app that serves Layotto's AppCallback (spec.proto.runtime.v1): found by asking Dapr's first
/// (auto) or named by BusRuntime:AppCallbackProtocol, its topics subscribed and its events delivered with their metadata map.
/// </summary>
public sealed class LayottoAppCallbackTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("auto")]
    [InlineData("layotto")]
    public async Task OnTopicEvent_LayottoApp_ReceivesTheEventsOfTheTopicsItListed(string protocol)
    {
        var topic = $"layotto-{Guid.NewGuid():N}";
        await using var app = await LayottoSubscriberApp.StartAsync(("pubsub", topic));
        await using var sidecar = await TestSidecar.StartAsync(
            "layotto-subscriber", new Dictionary<string, string?> { ["BusRuntime:AppCallbackProtocol"] = protocol }, app.Port);
        await sidecar.WaitForSubscriptionsAsync(1, Wait);
        var (channel, layotto) = LayottoSidecar.ClientFor(sidecar);
        using (channel)
        {
            await layotto.PublishEventAsync(new PublishEventRequest
            {
                PubsubName = "pubsub",
                Topic = topic,
                Data = ByteString.CopyFromUtf8("hello"),
                DataContentType = "text/plain",
                Metadata = { ["tenant"] = "acme" },
            });
            await app.WaitForAsync(1, Wait);
        }

        var received = Assert.Single(app.Received);
        Assert.Equal(topic, received.Topic);
        Assert.Equal("pubsub", received.PubsubName);
        Assert.Equal("hello", received.Data.ToStringUtf8());
        Assert.Equal("acme", received.Metadata["tenant"]);
        Assert.Equal("layotto-subscriber", received.Source);
    }

    [Fact]
    public async Task ListTopicSubscriptions_ProtocolDaprWithALayottoApp_NeverAsksLayottos()
    {
        await using var app = await LayottoSubscriberApp.StartAsync(("pubsub", "never"));
        await using var sidecar = await TestSidecar.StartAsync(
            "layotto-forced-dapr", new Dictionary<string, string?> { ["BusRuntime:AppCallbackProtocol"] = "dapr" }, app.Port);

        await Poll.UntilAsync(
            () => sidecar.Log.Tail().Contains("Loading the app's subscriptions failed (attempt 2)", StringComparison.Ordinal), Wait, () => sidecar.Log.Tail());

        Assert.Equal(0, app.Listed);
    }
}
