using BusRuntime.Core.Subscriptions;
using BusRuntime.Protos.Dapr.Runtime.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace BusRuntime.Protos.Mapping;

/// <summary>Maps delivered events and subscriber answers to and from Dapr's AppCallback messages.</summary>
public static class TopicEventMapping
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
        if (topicEvent.Metadata.Count > 0)
        {
            request.Extensions = new Struct();
            foreach (var (key, value) in topicEvent.Metadata)
            {
                request.Extensions.Fields[key] = Value.ForString(value);
            }
        }

        return request;
    }

    public static DeliveryOutcome ToOutcome(TopicEventResponse.Types.TopicEventResponseStatus status) => status switch
    {
        TopicEventResponse.Types.TopicEventResponseStatus.Success => DeliveryOutcome.Success,
        TopicEventResponse.Types.TopicEventResponseStatus.Drop => DeliveryOutcome.Drop,
        _ => DeliveryOutcome.Retry,
    };
}
