using BusRuntime.Contracts;

namespace BusRuntime.Core.Journal;

/// <summary>What the journal says about a message from its type and content.</summary>
internal static class MessageKinds
{
    public const string TopicEvent = "topic-event";
    public const string StateChange = "state-change";

    public static (string Kind, string? SourceAppId, string? Topic) Describe(object message) => message switch
    {
        TopicEvent topicEvent => (TopicEvent, topicEvent.Source, topicEvent.Topic),
        StateChanged stateChanged => (StateChange, stateChanged.AppId, null),
        _ => (message.GetType().Name, null, null),
    };
}
