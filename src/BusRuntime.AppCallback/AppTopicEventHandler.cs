using BusRuntime.Core.Subscriptions;
using BusRuntime.Protos.Mapping;

namespace BusRuntime.AppCallback;

/// <summary>
/// Delivers events to the app's OnTopicEvent. A call that fails (the app is down, throws, or answers
/// too late) surfaces as an exception, which the subscription counts as RETRY.
/// </summary>
public sealed class AppTopicEventHandler(AppChannel app) : ITopicEventHandler
{
    public async Task<DeliveryOutcome> HandleAsync(DeliveredTopicEvent topicEvent, CancellationToken cancellationToken)
    {
        var response = await app.Client.OnTopicEventAsync(TopicEventMapping.ToRequest(topicEvent), cancellationToken: cancellationToken).ConfigureAwait(false);
        return TopicEventMapping.ToOutcome(response.Status);
    }
}
