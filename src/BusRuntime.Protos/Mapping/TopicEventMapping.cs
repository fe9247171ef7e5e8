using BusRuntime.Core.Subscriptions;
using BusRuntime.Protos.Dapr.Runtime.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace BusRuntime.Protos.Mapping;

/// <summary>Maps delivered events and subscriber answers to and from Dapr's AppCallback messages.</summary>
public static class TopicEventMapping
{
    /// <summary>Dapr's CloudEvent fields for the publisher's trace context; traceid is the older name of traceparent.</summary>
    public const string TraceParentField = "traceparent";

    public const string TraceIdField = "traceid";

    public const string TraceStateField = "tracestate";

    public static TopicEventRequest ToRequest(DeliveredTopicEvent delivered)
    {
        ArgumentNullException.ThrowIfNull(delivered);
        var topicEvent = delivered.Event;
        var request = new TopicEventRequest
        {
            Id = delivered.Id,
            Source = topicEvent.Source,
            Type = topicEvent.Type,
            SpecVersion = topicEvent.SpecVersion,
            DataContentType = topicEvent.DataContentType,
            Data = ByteString.CopyFrom(topicEvent.Data),
            Topic = topicEvent.Topic,
            PubsubName = topicEvent.PubsubName,
            Path = delivered.Path,
        };
        if (topicEvent.Metadata.Count > 0 || delivered.TraceParent is not null)
        {
            request.Extensions = new Struct();
            foreach (var (key, value) in topicEvent.Metadata)
            {
                request.Extensions.Fields[key] = Value.ForString(value);
            }

            // As Dapr's envelope has them, unless the publisher set these fields itself.
            AddUnlessSet(request.Extensions, TraceParentField, delivered.TraceParent);
            AddUnlessSet(request.Extensions, TraceIdField, delivered.TraceParent);
            AddUnlessSet(request.Extensions, TraceStateField, delivered.TraceState);
        }

        return request;
    }

    /// <summary>Dapr's type of a bulk delivery request.</summary>
    public const string BulkEventType = "com.dapr.event.sent.bulk";

    /// <summary>
    /// A batch of events of one subscription, all on one route, as Dapr's OnBulkTopicEvent takes it: each event a
    /// CloudEvent entry whose entry id is the event's id, or, for a subscription with rawPayload, as daprd, its bytes as
    /// published with its content type and metadata.
    /// </summary>
    public static TopicEventBulkRequest ToBulkRequest(IReadOnlyList<DeliveredTopicEvent> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var first = batch[0];
        var request = new TopicEventBulkRequest
        {
            Id = Guid.NewGuid().ToString(),
            Topic = first.Event.Topic,
            PubsubName = first.Event.PubsubName,
            Type = BulkEventType,
            Path = first.Path,
        };
        foreach (var delivered in batch)
        {
            if (delivered.RawPayload)
            {
                var raw = new TopicEventBulkRequestEntry
                {
                    EntryId = delivered.Id,
                    Bytes = ByteString.CopyFrom(delivered.Event.Data),
                    ContentType = string.IsNullOrEmpty(delivered.Event.DataContentType) ? "application/octet-stream" : delivered.Event.DataContentType,
                };
                foreach (var (key, value) in delivered.Event.Metadata)
                {
                    raw.Metadata[key] = value;
                }
                request.Entries.Add(raw);
                continue;
            }

            var single = ToRequest(delivered);
            request.Entries.Add(new TopicEventBulkRequestEntry
            {
                EntryId = delivered.Id,
                ContentType = "application/cloudevents+json",
                CloudEvent = new TopicEventCERequest
                {
                    Id = single.Id,
                    Source = single.Source,
                    Type = single.Type,
                    SpecVersion = single.SpecVersion,
                    DataContentType = single.DataContentType,
                    Data = single.Data,
                    Extensions = single.Extensions,
                },
            });
        }

        return request;
    }

    /// <summary>The outcome of each event of <paramref name="batch"/>, in order; as daprd, an entry the app did not answer for is retried.</summary>
    public static IReadOnlyList<DeliveryOutcome> ToOutcomes(IReadOnlyList<DeliveredTopicEvent> batch, TopicEventBulkResponse response)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(response);
        var answers = new Dictionary<string, DeliveryOutcome>(StringComparer.Ordinal);
        foreach (var status in response.Statuses)
        {
            answers.TryAdd(status.EntryId, ToOutcome(status.Status));
        }

        return [.. batch.Select(delivered => answers.GetValueOrDefault(delivered.Id, DeliveryOutcome.Retry))];
    }

    public static DeliveryOutcome ToOutcome(TopicEventResponse.Types.TopicEventResponseStatus status) => status switch
    {
        TopicEventResponse.Types.TopicEventResponseStatus.Success => DeliveryOutcome.Success,
        TopicEventResponse.Types.TopicEventResponseStatus.Drop => DeliveryOutcome.Drop,
        _ => DeliveryOutcome.Retry,
    };

    private static void AddUnlessSet(Struct extensions, string field, string? value)
    {
        if (value is not null)
        {
            extensions.Fields.TryAdd(field, Value.ForString(value));
        }
    }
}
