using BusRuntime.Contracts;
using BusRuntime.Protos.V1;
using Grpc.Core;
using MassTransit;

namespace BusRuntime.StackFloor;

/// <summary>
/// BusRuntime's PublishEvent and nothing else, done as a .NET service on the bus does it (the publish benchmark's path (a)):
/// a <see cref="TopicEvent"/> with a fresh message id sent to the topic's exchange, answered once the broker confirmed.
/// No validation, scopes, journal, metrics or tracing: started as --sidecar-path, the publish benchmark measures what
/// gRPC in front of MassTransit costs by itself.
/// </summary>
public sealed class PublishOnlyRuntime(IBus bus, StackFloorSettings settings) : Runtime.RuntimeBase
{
    public override async Task<PublishEventResponse> PublishEvent(PublishEventRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var topicEvent = new TopicEvent
        {
            PubsubName = request.PubsubName,
            Topic = request.Topic,
            Source = settings.AppId,
            DataContentType = request.DataContentType,
            Data = request.Data.ToByteArray(),
        };
        var messageId = NewId.NextGuid();
        var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{TopicNames.Exchange(request.PubsubName, request.Topic)}"));
        await endpoint.Send(topicEvent, send => send.MessageId = messageId, context.CancellationToken);
        return new PublishEventResponse { MessageId = messageId.ToString() };
    }
}
