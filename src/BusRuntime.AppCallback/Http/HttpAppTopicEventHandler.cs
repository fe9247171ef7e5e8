using System.Net;
using System.Net.Http.Headers;
using BusRuntime.Core.Subscriptions;
using Microsoft.Extensions.Logging;

namespace BusRuntime.AppCallback.Http;

/// <summary>
/// Delivers the events of one subscription of an HTTP app as daprd does: POSTs the CloudEvent to the route the subscription's rules chose for it (<see cref="DeliveredTopicEvent.Path"/>)
/// and reads the answer. A 2xx answer's body <c>{"status": "SUCCESS|RETRY|DROP"}</c> decides (an empty or unreadable
/// body is SUCCESS, an unknown status RETRY); 404 drops the event; any other status retries it. A call that fails
/// (the app is down, or answers after the delivery timeout, which cancels it) throws, which the subscription counts as RETRY.
/// </summary>
public sealed class HttpAppTopicEventHandler(HttpClient client, HttpAppSubscription subscription, ILogger logger) : IBulkTopicEventHandler
{
    private static readonly MediaTypeHeaderValue CloudEventType = new(HttpCloudEvent.ContentType);

    public HttpAppSubscription Subscription => subscription;

    public async Task<DeliveryOutcome> HandleAsync(DeliveredTopicEvent topicEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topicEvent);
        var path = PathOf(topicEvent.Path);
        var body = topicEvent.RawPayload ? HttpCloudEvent.RawEnvelope(topicEvent) : HttpCloudEvent.Envelope(topicEvent);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = CloudEventType } },
        };
        if (topicEvent.TraceParent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", topicEvent.TraceParent);
            if (topicEvent.TraceState is not null)
            {
                request.Headers.TryAddWithoutValidation("tracestate", topicEvent.TraceState);
            }
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var answer = await HttpAppAnswers.ReadAsync(response.Content, HttpAppAnswers.MaxEventAnswerBytes, cancellationToken).ConfigureAwait(false);
        var statusCode = (int)response.StatusCode;
        if (statusCode is >= 200 and <= 299)
        {
            switch (HttpAppAnswers.Status(answer))
            {
                case null or "" or "SUCCESS":
                    return DeliveryOutcome.Success;
                case "RETRY":
                    return DeliveryOutcome.Retry;
                case "DROP":
                    Log.EventDropped(logger, topicEvent.Id, topicEvent.Event.Topic);
                    return DeliveryOutcome.Drop;
                case var unknown:
                    Log.EventStatusUnknown(logger, topicEvent.Id, topicEvent.Event.Topic, Core.Errors.Quoted.Of(unknown));
                    return DeliveryOutcome.Retry;
            }
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            Log.EventNotFound(logger, topicEvent.Id, topicEvent.Event.Topic, path, HttpAppAnswers.Shown(answer));
            return DeliveryOutcome.Drop;
        }

        Log.EventFailed(logger, topicEvent.Id, topicEvent.Event.Topic, statusCode, path, HttpAppAnswers.Shown(answer));
        return DeliveryOutcome.Retry;
    }

    /// <summary>
    /// Delivers a batch as daprd delivers bulk subscriptions to HTTP apps: one bulk CloudEvent per route, POSTed as
    /// <c>application/json</c>; the answer <c>{"statuses": [{"entryId", "status"}]}</c> decides each event (SUCCESS, DROP;
    /// RETRY, an empty or unknown status, or no status for it retries it), a body that is not that JSON retries them all,
    /// 404 drops them all and any other status retries them all.
    /// </summary>
    public async Task<IReadOnlyList<DeliveryOutcome>> HandleBulkAsync(IReadOnlyList<DeliveredTopicEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var outcomes = new DeliveryOutcome[events.Count];
        foreach (var route in events.Select((topicEvent, index) => (topicEvent, index)).GroupBy(entry => entry.topicEvent.Path, StringComparer.Ordinal))
        {
            var batch = route.ToList();
            var answers = await PostBulkAsync(route.Key, [.. batch.Select(entry => entry.topicEvent)], cancellationToken).ConfigureAwait(false);
            foreach (var (topicEvent, index) in batch)
            {
                outcomes[index] = answers(topicEvent.Id);
            }
        }

        return outcomes;
    }

    private async Task<Func<string, DeliveryOutcome>> PostBulkAsync(string route, IReadOnlyList<DeliveredTopicEvent> batch, CancellationToken cancellationToken)
    {
        var path = PathOf(route);
        var body = HttpCloudEvent.BulkEnvelope(Guid.NewGuid().ToString(), subscription.PubsubName, subscription.Topic, batch);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var answer = await HttpAppAnswers.ReadAsync(response.Content, HttpAppAnswers.MaxEventAnswerBytes * 16, cancellationToken).ConfigureAwait(false);
        var statusCode = (int)response.StatusCode;
        if (statusCode is >= 200 and <= 299)
        {
            var statuses = HttpAppAnswers.BulkStatuses(answer);
            return id => statuses?.GetValueOrDefault(id) switch
            {
                "SUCCESS" => DeliveryOutcome.Success,
                "DROP" => DeliveryOutcome.Drop,
                _ => DeliveryOutcome.Retry,
            };
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            Log.EventNotFound(logger, $"batch of {batch.Count}", subscription.Topic, path, HttpAppAnswers.Shown(answer));
            return _ => DeliveryOutcome.Drop;
        }

        Log.EventFailed(logger, $"batch of {batch.Count}", subscription.Topic, statusCode, path, HttpAppAnswers.Shown(answer));
        return _ => DeliveryOutcome.Retry;
    }

    /// <summary>The route as a path of the app, as daprd makes it: with a leading slash.</summary>
    private static string PathOf(string route) => route.StartsWith('/') ? route : "/" + route;
}
