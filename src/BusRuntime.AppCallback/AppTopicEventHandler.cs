using BusRuntime.Core.Subscriptions;
using BusRuntime.Protos.Mapping;
using Grpc.Core;

namespace BusRuntime.AppCallback;

/// <summary>
/// Delivers events to the app's OnTopicEvent, and batches to its OnBulkTopicEvent (or, as daprd does when the app does
/// not implement that, to AppCallbackAlpha's OnBulkTopicEventAlpha1). A call that fails (the app is down, throws, or
/// answers too late) surfaces as an exception, which the subscription counts as RETRY.
/// </summary>
public sealed class AppTopicEventHandler(AppChannel app) : IBulkTopicEventHandler
{
    private volatile bool alphaOnly;

    public async Task<DeliveryOutcome> HandleAsync(DeliveredTopicEvent topicEvent, CancellationToken cancellationToken)
    {
        var response = await app.Client.OnTopicEventAsync(TopicEventMapping.ToRequest(topicEvent), cancellationToken: cancellationToken).ConfigureAwait(false);
        return TopicEventMapping.ToOutcome(response.Status);
    }

    public async Task<IReadOnlyList<DeliveryOutcome>> HandleBulkAsync(IReadOnlyList<DeliveredTopicEvent> events, CancellationToken cancellationToken)
    {
        var request = TopicEventMapping.ToBulkRequest(events);
        if (!alphaOnly)
        {
            try
            {
                return TopicEventMapping.ToOutcomes(events, await app.Client.OnBulkTopicEventAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false));
            }
            catch (RpcException exception) when (exception.StatusCode == StatusCode.Unimplemented)
            {
                alphaOnly = true;
            }
        }

        try
        {
            // Deprecated by Dapr, and still what daprd falls back to.
#pragma warning disable CS0612
            var response = await app.AlphaClient.OnBulkTopicEventAlpha1Async(request, cancellationToken: cancellationToken).ConfigureAwait(false);
#pragma warning restore CS0612
            return TopicEventMapping.ToOutcomes(events, response);
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.Unimplemented)
        {
            // As daprd: an app that takes bulk deliveries on neither rpc drops them (to the dead-letter topic or error queue).
            return [.. events.Select(_ => DeliveryOutcome.Drop)];
        }
    }
}
