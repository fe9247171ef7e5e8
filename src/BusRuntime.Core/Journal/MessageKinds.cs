using BusRuntime.Contracts;

namespace BusRuntime.Core.Journal;

/// <summary>What the journal says about a message from its type and content.</summary>
internal static class MessageKinds
{
    public const string TopicEvent = "topic-event";
    public const string StateChange = "state-change";
    public const string ConfigurationChange = "configuration-change";
    public const string InvokeRequest = "invoke-request";
    public const string InvokeResponse = "invoke-response";
    public const string JobTick = "job-tick";
    public const string JobTickOutcome = "job-tick-outcome";

    /// <summary>The kind, the app the message comes from when it says so, and its topic.</summary>
    public static (string Kind, string? SourceAppId, string? Topic) Describe(object message) => message switch
    {
        TopicEvent topicEvent => (TopicEvent, topicEvent.Source, topicEvent.Topic),
        StateChanged stateChanged => (StateChange, stateChanged.AppId, null),
        ConfigurationChanged configurationChanged => (ConfigurationChange, configurationChanged.AppId, null),
        Contracts.InvokeRequest invokeRequest => (InvokeRequest, invokeRequest.Source, null),
        Contracts.InvokeResponse => (InvokeResponse, null, null),
        JobTriggered jobTriggered => (JobTick, jobTriggered.AppId, null),
        JobTriggerOutcome => (JobTickOutcome, null, null),
        _ => (message.GetType().Name, null, null),
    };
}
