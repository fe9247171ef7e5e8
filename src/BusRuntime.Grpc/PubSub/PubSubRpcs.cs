using BusRuntime.Contracts;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Subscriptions;
using BusRuntime.Protos.Mapping;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using DaprV1 = BusRuntime.Protos.Dapr.Runtime.V1;
using GrpcMetadata = Grpc.Core.Metadata;
using LayottoV1 = BusRuntime.Protos.Layotto.Runtime.V1;
using V1 = BusRuntime.Protos.V1;

namespace BusRuntime.Grpc.PubSub;

/// <summary>Pub/sub on every gRPC API: publishing onto <see cref="TopicPublisher"/>, streaming subscriptions onto <see cref="TopicSubscriptions"/>.</summary>
public sealed class PubSubRpcs(TopicPublisher publisher, TopicSubscriptions subscriptions)
{
    /// <summary>The response header of Layotto's PublishEvent that carries the published event's message id.</summary>
    public const string MessageIdHeader = "busruntime-message-id";

    private static readonly Empty Done = new();

    public async Task<V1.PublishEventResponse> PublishEvent(V1.PublishEventRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var messageId = await publisher.PublishAsync(
            new PublishRequest(request.PubsubName, request.Topic, request.Data.Memory, request.DataContentType, request.Metadata),
            context.CancellationToken).ConfigureAwait(false);
        return new V1.PublishEventResponse { MessageId = messageId };
    }

    public async Task<Empty> PublishEvent(DaprV1.PublishEventRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await publisher.PublishAsync(
            new PublishRequest(request.PubsubName, request.Topic, request.Data.Memory, request.DataContentType, request.Metadata) { DefaultType = TopicEvent.DaprDefaultType },
            context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    /// <summary>Layotto's PublishEvent answers Empty: the message id travels in the response header <see cref="MessageIdHeader"/>.</summary>
    public async Task<Empty> PublishEvent(LayottoV1.PublishEventRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var messageId = await publisher.PublishAsync(
            new PublishRequest(request.PubsubName, request.Topic, request.Data.Memory, request.DataContentType, request.Metadata),
            context.CancellationToken).ConfigureAwait(false);
        await context.WriteResponseHeadersAsync(new GrpcMetadata { { MessageIdHeader, messageId } }).ConfigureAwait(false);
        return Done;
    }

    public async Task<V1.BulkPublishResponse> BulkPublishEvent(V1.BulkPublishRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var entries = request.Entries
            .Select(entry => new BulkPublishEntry(entry.EntryId, entry.Event.Memory, entry.ContentType, entry.Metadata))
            .ToList();
        var results = await publisher.PublishBulkAsync(request.PubsubName, request.Topic, entries, request.Metadata, TopicEvent.DefaultType, context.CancellationToken).ConfigureAwait(false);
        var response = new V1.BulkPublishResponse();
        response.Entries.AddRange(results.Select(result => new V1.BulkPublishResponseEntry
        {
            EntryId = result.EntryId,
            MessageId = result.MessageId ?? "",
            Error = result.Error ?? "",
        }));
        return response;
    }

    public async Task<DaprV1.BulkPublishResponse> BulkPublishEvent(DaprV1.BulkPublishRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var entries = request.Entries
            .Select(entry => new BulkPublishEntry(entry.EntryId, entry.Event.Memory, entry.ContentType, entry.Metadata))
            .ToList();
        var results = await publisher.PublishBulkAsync(request.PubsubName, request.Topic, entries, request.Metadata, TopicEvent.DaprDefaultType, context.CancellationToken).ConfigureAwait(false);
        var response = new DaprV1.BulkPublishResponse();
        response.FailedEntries.AddRange(results
            .Where(result => result.Error is not null)
            .Select(result => new DaprV1.BulkPublishResponseFailedEntry { EntryId = result.EntryId, Error = result.Error }));
        return response;
    }

    public Task SubscribeTopicEvents(
        IAsyncStreamReader<V1.SubscribeTopicEventsRequest> requestStream,
        IServerStreamWriter<V1.SubscribeTopicEventsResponse> responseStream,
        ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        return TopicEventStreaming.RunAsync(
            subscriptions,
            requestStream,
            "SubscribeTopicEvents",
            request => request.InitialRequest is { } initial ? (initial.PubsubName, initial.Topic, null) : null,
            request => request.EventProcessed is { } processed
                ? (processed.Id, TopicEventMapping.ToOutcome(processed.Status?.Status ?? DaprV1.TopicEventResponse.Types.TopicEventResponseStatus.Success))
                : null,
            token => responseStream.WriteAsync(new V1.SubscribeTopicEventsResponse { InitialResponse = new V1.SubscribeTopicEventsResponseInitial() }, token),
            (delivered, token) => responseStream.WriteAsync(new V1.SubscribeTopicEventsResponse { EventMessage = TopicEventMapping.ToRequest(delivered) }, token),
            context.CancellationToken);
    }

    /// <summary>Dapr's SubscribeTopicEventsAlpha1.</summary>
    public Task SubscribeTopicEvents(
        IAsyncStreamReader<DaprV1.SubscribeTopicEventsRequestAlpha1> requestStream,
        IServerStreamWriter<DaprV1.SubscribeTopicEventsResponseAlpha1> responseStream,
        ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        return TopicEventStreaming.RunAsync(
            subscriptions,
            requestStream,
            "SubscribeTopicEventsAlpha1",
            request => request.InitialRequest is { } initial ? (initial.PubsubName, initial.Topic, initial.DeadLetterTopic) : null,
            request => request.EventProcessed is { } processed
                ? (processed.Id, TopicEventMapping.ToOutcome(processed.Status?.Status ?? DaprV1.TopicEventResponse.Types.TopicEventResponseStatus.Success))
                : null,
            token => responseStream.WriteAsync(new DaprV1.SubscribeTopicEventsResponseAlpha1 { InitialResponse = new DaprV1.SubscribeTopicEventsResponseInitialAlpha1() }, token),
            (delivered, token) => responseStream.WriteAsync(new DaprV1.SubscribeTopicEventsResponseAlpha1 { EventMessage = TopicEventMapping.ToRequest(delivered) }, token),
            context.CancellationToken);
    }

    /// <summary>Layotto's SubscribeTopicEvents.</summary>
    public Task SubscribeTopicEvents(
        IAsyncStreamReader<LayottoV1.SubscribeTopicEventsRequest> requestStream,
        IServerStreamWriter<LayottoV1.SubscribeTopicEventsResponse> responseStream,
        ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        return TopicEventStreaming.RunAsync(
            subscriptions,
            requestStream,
            "SubscribeTopicEvents",
            request => request.InitialRequest is { } initial ? (initial.PubsubName, initial.Topic, initial.DeadLetterTopic) : null,
            request => request.EventProcessed is { } processed
                ? (processed.Id, LayottoTopicEventMapping.ToOutcome(processed.Status?.Status ?? LayottoV1.TopicEventResponse.Types.TopicEventResponseStatus.Success))
                : null,
            token => responseStream.WriteAsync(new LayottoV1.SubscribeTopicEventsResponse { InitialResponse = new LayottoV1.SubscribeTopicEventsResponseInitial() }, token),
            (delivered, token) => responseStream.WriteAsync(new LayottoV1.SubscribeTopicEventsResponse { EventMessage = LayottoTopicEventMapping.ToRequest(delivered) }, token),
            context.CancellationToken);
    }
}
