using BusRuntime.Core.Subscriptions;
using BusRuntime.Protos.Mapping;

namespace BusRuntime.AppCallback;

/// <summary>
/// Delivers events to the OnTopicEvent of an app serving Layotto's AppCallback. As with Dapr's, a call that
/// fails surfaces as an exception, which the subscription counts as RETRY.
/// </summary>
public sealed class LayottoAppTopicEventHandler(AppChannel app) : ITopicEventHandler
{
    public async Task<DeliveryOutcome> HandleAsync(DeliveredTopicEvent topicEvent, CancellationToken cancellationToken)
    {
        var response = await app.LayottoClient.OnTopicEventAsync(LayottoTopicEventMapping.ToRequest(topicEvent), cancellationToken: cancellationToken).ConfigureAwait(false);
        return LayottoTopicEventMapping.ToOutcome(response.Status);
    }
}
