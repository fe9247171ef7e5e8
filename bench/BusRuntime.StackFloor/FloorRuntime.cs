using System.Globalization;
using BusRuntime.Contracts;
using BusRuntime.Protos.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MassTransit;

namespace BusRuntime.StackFloor;

/// <summary>
/// Three of BusRuntime's calls, each done the least way there is, with no validation, scopes, journal, metrics or tracing,
/// so that a benchmark started with this program as --sidecar-path measures what gRPC costs by itself:
/// PublishEvent as a .NET service on the bus publishes (the publish benchmark's path (a): a <see cref="TopicEvent"/> with a
/// fresh message id sent to the topic's exchange, answered once the broker confirmed), and SaveState and GetState on a
/// dictionary in memory (the state benchmark's in-memory backend).
/// </summary>
public sealed class FloorRuntime(IBus bus, StackFloorSettings settings, FloorState state) : Runtime.RuntimeBase
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

    public override Task<Empty> SaveState(SaveStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var item in request.States)
        {
            state.Entries.AddOrUpdate(item.Key, _ => (item.Value, 1), (_, kept) => (item.Value, kept.Version + 1));
        }

        return Task.FromResult(new Empty());
    }

    public override Task<GetStateResponse> GetState(GetStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(state.Entries.TryGetValue(request.Key, out var kept)
            ? new GetStateResponse { Data = kept.Value, Etag = kept.Version.ToString(CultureInfo.InvariantCulture) }
            : new GetStateResponse());
    }
}
