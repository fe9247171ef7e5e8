using BusRuntime.AppCallback;
using BusRuntime.Core.Errors;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Subscriptions;
using BusRuntime.Protos.V1;
using Grpc.Core;

namespace BusRuntime.Grpc.Runtime;

/// <summary>busruntime.v1.Runtime: validates and maps each call onto the core primitive that does the work.</summary>
public sealed class RuntimeService(TopicPublisher publisher, TopicSubscriptions subscriptions) : Protos.V1.Runtime.RuntimeBase
{
    public override async Task<PublishEventResponse> PublishEvent(PublishEventRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var messageId = await publisher.PublishAsync(
            new PublishRequest(request.PubsubName, request.Topic, request.Data.Memory, request.DataContentType, request.Metadata),
            context.CancellationToken).ConfigureAwait(false);
        return new PublishEventResponse { MessageId = messageId };
    }

    public override async Task<BulkPublishResponse> BulkPublishEvent(BulkPublishRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var entries = request.Entries
            .Select(entry => new BulkPublishEntry(entry.EntryId, entry.Event.Memory, entry.ContentType, entry.Metadata))
            .ToList();
        var results = await publisher.PublishBulkAsync(request.PubsubName, request.Topic, entries, request.Metadata, context.CancellationToken).ConfigureAwait(false);
        var response = new BulkPublishResponse();
        response.Entries.AddRange(results.Select(result => new BulkPublishResponseEntry
        {
            EntryId = result.EntryId,
            MessageId = result.MessageId ?? "",
            Error = result.Error ?? "",
        }));
        return response;
    }

    public override async Task SubscribeTopicEvents(
        IAsyncStreamReader<SubscribeTopicEventsRequest> requestStream,
        IServerStreamWriter<SubscribeTopicEventsResponse> responseStream,
        ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var initial = requestStream.Current.InitialRequest
            ?? throw RuntimeException.InvalidArgument("the first message of SubscribeTopicEvents must be initial_request, naming pubsub_name and topic.");

        var stream = new TopicEventStream();
        await using var registration = (await subscriptions.AddAsync(initial.PubsubName, initial.Topic, stream, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        await responseStream.WriteAsync(new SubscribeTopicEventsResponse { InitialResponse = new SubscribeTopicEventsResponseInitial() }, cancellationToken).ConfigureAwait(false);
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = WriteEventsAsync(stream, responseStream, stopWriting.Token);
        try
        {
            await ReadAcknowledgementsAsync(stream, requestStream, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Unanswered events go to another subscriber; nothing more is written on this call.
            stream.Close();
            await stopWriting.CancelAsync().ConfigureAwait(false);
            await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task WriteEventsAsync(TopicEventStream stream, IServerStreamWriter<SubscribeTopicEventsResponse> responseStream, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var delivered in stream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(new SubscribeTopicEventsResponse { EventMessage = TopicEventMapping.ToRequest(delivered) }, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // A stream that can no longer be written to hands its waiting events on at once.
            stream.Close();
        }
    }

    private static async Task ReadAcknowledgementsAsync(TopicEventStream stream, IAsyncStreamReader<SubscribeTopicEventsRequest> requestStream, CancellationToken cancellationToken)
    {
        while (await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var processed = requestStream.Current.EventProcessed
                ?? throw RuntimeException.InvalidArgument("only event_processed may follow initial_request on a SubscribeTopicEvents stream.");
            if (string.IsNullOrEmpty(processed.Id))
            {
                throw RuntimeException.InvalidArgument("event_processed.id is empty; acknowledge each event with the id it was delivered with.");
            }

            var outcome = TopicEventMapping.ToOutcome(processed.Status?.Status ?? Protos.Dapr.Runtime.V1.TopicEventResponse.Types.TopicEventResponseStatus.Success);
            stream.Acknowledge(processed.Id, outcome);
        }
    }
}
