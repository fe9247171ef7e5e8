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
