using BusRuntime.Contracts;
using MassTransit;

namespace BusRuntime.LoadDriver.Load;

/// <summary>
/// (a) What a .NET service on the bus does, and what the sidecar's TopicPublisher does for every call:
/// send a <see cref="TopicEvent"/> with a fresh message id to the topic's exchange and await the
/// publisher confirm.
/// </summary>
public sealed class MassTransitPublishTarget(IBus bus, string pubsubName, string topic, string source, byte[] payload) : ILoadTarget
{
    private const string ContentType = "application/octet-stream";

    private readonly Uri address = new($"exchange:{TopicNames.Exchange(pubsubName, topic)}");

    public string Name => "(a) MassTransit direct";

    public async Task CallAsync(CancellationToken cancellationToken)
    {
        var topicEvent = new TopicEvent
        {
            PubsubName = pubsubName,
            Topic = topic,
            Source = source,
            DataContentType = ContentType,
            Data = payload,
        };
        var messageId = NewId.NextGuid();
        var endpoint = await bus.GetSendEndpoint(address);
        await endpoint.Send(topicEvent, context => context.MessageId = messageId, cancellationToken);
    }
}
