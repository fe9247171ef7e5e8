using BusRuntime.Core.Subscriptions;
using BusRuntime.Protos.Layotto.Runtime.V1;
using Google.Protobuf;

namespace BusRuntime.Protos.Mapping;

/// <summary>
/// Maps delivered events and subscriber answers to and from Layotto's messages (its AppCallback and its
/// SubscribeTopicEvents stream share them). Layotto's event carries the publisher's metadata as a string map
/// (field 10), where Dapr's has a Struct of extensions.
/// </summary>
public static class LayottoTopicEventMapping
{
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
        };
        foreach (var (key, value) in topicEvent.Metadata)
        {
            request.Metadata[key] = value;
        }

        // The publisher's trace context under the names Dapr's envelope gives it, unless the publisher set them.
        AddUnlessSet(request, TopicEventMapping.TraceParentField, delivered.TraceParent);
        AddUnlessSet(request, TopicEventMapping.TraceIdField, delivered.TraceParent);
        AddUnlessSet(request, TopicEventMapping.TraceStateField, delivered.TraceState);
        return request;
    }

    public static DeliveryOutcome ToOutcome(TopicEventResponse.Types.TopicEventResponseStatus status) => status switch
    {
        TopicEventResponse.Types.TopicEventResponseStatus.Success => DeliveryOutcome.Success,
        TopicEventResponse.Types.TopicEventResponseStatus.Drop => DeliveryOutcome.Drop,
        _ => DeliveryOutcome.Retry,
    };

    private static void AddUnlessSet(TopicEventRequest request, string field, string? value)
    {
        if (value is not null)
        {
            request.Metadata.TryAdd(field, value);
        }
    }
}
