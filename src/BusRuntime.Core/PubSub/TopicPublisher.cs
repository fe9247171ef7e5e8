using System.Diagnostics;
using BusRuntime.Contracts;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Telemetry;
using BusRuntime.Core.Transport;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.PubSub;

/// <summary>
/// Publishes topic events on the bus. A publish completes only when the transport has accepted the
/// message for good (RabbitMQ: the broker's publisher confirm), and its message id is returned.
/// </summary>
public sealed class TopicPublisher(
    IBus bus,
    IBusTransport transport,
    SendInterruptions interruptions,
    PubSubComponents components,
    PubSubMetrics metrics,
    TimeProvider timeProvider,
    IOptions<RuntimeOptions> options,
    ILogger<TopicPublisher> logger)
{
    /// <summary>The metadata key that sets the CloudEvent type, as in Dapr.</summary>
    public const string CloudEventTypeKey = "cloudevent.type";

    /// <summary>
    /// Metadata keys a publisher may not use: Dapr's override of the CloudEvent source, and the attribute's own
    /// name, which would reach subscribers as an extension beside it. The source is the publisher's app id, stamped
    /// by its sidecar, and what subscription scopes and subscribers trust.
    /// </summary>
    public static IReadOnlyList<string> ReservedMetadataKeys { get; } = ["cloudevent.source", "source"];

    private const string DefaultContentType = "application/json";

    public async Task<string> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        TopicValidation.EnsureValid(components, request.PubsubName, request.Topic);
        components.EnsureMayPublish(request.PubsubName, request.Topic);
        EnsureSourceNotSet(request.Metadata);
        EnsurePayloadFits(request.Data.Length, "data");
        BusMetadata.EnsureNamed(request.Metadata, "metadata");
        return await SendAsync(request.PubsubName, request.Topic, request.Data, request.DataContentType, request.Metadata, request.DefaultType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes every entry concurrently. A bad request as a whole (names, entry ids) throws; a failure of
    /// one entry (too large, not confirmed) is reported in that entry's result and the others go on. An entry's type is
    /// its <c>cloudevent.type</c>, else <paramref name="defaultType"/>, the API's default.
    /// </summary>
    public async Task<IReadOnlyList<BulkPublishResult>> PublishBulkAsync(
        string pubsubName,
        string topic,
        IReadOnlyList<BulkPublishEntry> entries,
        IReadOnlyDictionary<string, string> metadata,
        string defaultType,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(metadata);
        TopicValidation.EnsureValid(components, pubsubName, topic);
        components.EnsureMayPublish(pubsubName, topic);
        EnsureSourceNotSet(metadata);
        EnsureEntryIdsUnique(entries);
        BusMetadata.EnsureNamed(metadata, "metadata");

        var results = await Task.WhenAll(entries.Select(async entry =>
        {
            try
            {
                EnsurePayloadFits(entry.Data.Length, $"entries[{entry.EntryId}].event");
                EnsureSourceNotSet(entry.Metadata);
                BusMetadata.EnsureNamed(entry.Metadata, $"entries[{entry.EntryId}].metadata");
                // Ignoring case, as the bus compares keys: an entry's 'tenant' overrides the request's 'Tenant'.
                var merged = new Dictionary<string, string>(metadata, StringComparer.OrdinalIgnoreCase);
                foreach (var (key, value) in entry.Metadata)
                {
                    merged[key] = value;
                }

                var messageId = await SendAsync(pubsubName, topic, entry.Data, entry.DataContentType, merged, defaultType, cancellationToken).ConfigureAwait(false);
                return new BulkPublishResult(entry.EntryId, messageId, null);
            }
            catch (RuntimeException failure)
            {
                return new BulkPublishResult(entry.EntryId, null, failure.Message);
            }
        })).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// Publishes an event delivered to one of this app's subscriptions to another topic of that pub/sub (its dead-letter
    /// topic) under the same message id, with its source, type, extensions and data, once the topic's scopes let this
    /// app publish there; completes when the broker confirmed it, as any publish.
    /// </summary>
    public async Task ForwardAsync(string pubsubName, string topic, TopicEvent topicEvent, Guid messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topicEvent);
        TopicValidation.EnsureValid(components, pubsubName, topic);
        components.EnsureMayPublish(pubsubName, topic);
        await SendAsync(topicEvent with { PubsubName = pubsubName, Topic = topic }, messageId, ttl: null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> SendAsync(
        string pubsubName,
        string topic,
        ReadOnlyMemory<byte> data,
        string contentType,
        IReadOnlyDictionary<string, string> metadata,
        string defaultType,
        CancellationToken cancellationToken)
    {
        var ttl = EventExpiry.TtlOf(metadata, "metadata");
        var extensions = new Dictionary<string, string>(metadata, StringComparer.Ordinal);
        extensions.Remove(CloudEventTypeKey, out var eventType);
        if (ttl is { } timeToLive)
        {
            foreach (var key in extensions.Keys.Where(key => key.Equals(EventExpiry.TtlInSecondsKey, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                extensions.Remove(key);
            }

            extensions[EventExpiry.ExpirationKey] = EventExpiry.Format(timeProvider.GetUtcNow(), timeToLive);
        }

        var topicEvent = new TopicEvent
        {
            PubsubName = pubsubName,
            Topic = topic,
            Source = options.Value.AppId,
            Type = string.IsNullOrEmpty(eventType) ? defaultType : eventType,
            DataContentType = string.IsNullOrEmpty(contentType) ? DefaultContentType : contentType,
            Data = data.ToArray(),
            Metadata = extensions,
        };
        var messageId = NewId.NextGuid();
        await SendAsync(topicEvent, messageId, ttl, cancellationToken).ConfigureAwait(false);
        return messageId.ToString();
    }

    // ttl is the broker's time to live; a forwarded event keeps only its expiration extension.
    private async Task SendAsync(TopicEvent topicEvent, Guid messageId, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        var (pubsubName, topic) = (topicEvent.PubsubName, topicEvent.Topic);
        using var activity = RuntimeActivities.StartPublish(options.Value.AppId, transport.Name, pubsubName, topic, messageId);
        var timeout = options.Value.PublishTimeout;
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var started = timeProvider.GetTimestamp();
        var confirmed = false;
        try
        {
            var endpoint = await bus.GetSendEndpoint(TopicAddress(pubsubName, topic)).WaitAsync(deadline.Token).ConfigureAwait(false);
            while (!confirmed)
            {
                confirmed = await TrySendAsync(endpoint, topicEvent, messageId, ttl, activity, deadline.Token).ConfigureAwait(false);
                if (!confirmed)
                {
                    Log.PublishResent(logger, topic, SendInterruptions.StallLimit);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw Failed(activity, RuntimeException.DeadlineExceeded($"the caller's deadline passed before the broker confirmed the event on topic '{topic}'."));
        }
        catch (OperationCanceledException exception) when (timeoutSource.IsCancellationRequested)
        {
            Log.PublishNotConfirmed(logger, topic, timeout, exception);
            throw Failed(activity, RuntimeException.Unavailable($"the broker did not confirm the event on topic '{topic}' within {timeout.TotalSeconds:0.###}s; it may not have been published.", exception));
        }
        catch (SendInterruptedException interrupted) when (interrupted.Interruption == SendInterruption.Refused)
        {
            Log.PublishRefused(logger, topic, interrupted);
            throw Failed(activity, RuntimeException.Unavailable($"the broker refused the event on topic '{topic}' (a queue it goes to could not take it, as during a failover); it was not published: publish it again.", interrupted));
        }
        catch (SendInterruptedException interrupted)
        {
            Log.PublishConnectionLost(logger, topic, interrupted);
            throw Failed(activity, RuntimeException.Unavailable($"the connection to the broker was lost before it confirmed the event on topic '{topic}'; it may have been published: publish it again (a subscriber may then get it twice).", interrupted));
        }
        catch (Exception exception) when (exception is not RuntimeException)
        {
            Log.PublishFailed(logger, topic, exception);
            throw Failed(activity, RuntimeException.Unavailable($"the broker did not accept the event on topic '{topic}': {exception.Message}", exception));
        }
        finally
        {
            metrics.Published(pubsubName, topic, confirmed, timeProvider.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// Sends the event once. True when the broker confirmed it; false when the send was stopped before it reached
    /// the broker's channel (it published nothing, so it can be sent again as it is); throws
    /// <see cref="SendInterruptedException"/> when it was stopped after that, and the deadline's cancellation
    /// when the deadline passed. The wait ends then even where MassTransit's send would not stop.
    /// </summary>
    private async Task<bool> TrySendAsync(ISendEndpoint endpoint, TopicEvent topicEvent, Guid messageId, TimeSpan? ttl, Activity? activity, CancellationToken deadline)
    {
        using var watch = interruptions.Watch(messageId);
        using var window = CancellationTokenSource.CreateLinkedTokenSource(deadline, watch.Token);
        try
        {
            await endpoint.Send(topicEvent, context =>
            {
                context.MessageId = messageId;
                context.TimeToLive = ttl;
                RuntimeActivities.Inject(activity, context);
            }, window.Token).WaitAsync(window.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException exception) when (!deadline.IsCancellationRequested && watch.Token.IsCancellationRequested)
        {
            return watch.ReachedTransport ? throw new SendInterruptedException(watch.Interruption, exception) : false;
        }
    }

    private static RuntimeException Failed(Activity? activity, RuntimeException failure)
    {
        RuntimeActivities.Fail(activity, failure.Code.ToString(), failure.Message);
        return failure;
    }

    private void EnsurePayloadFits(int length, string field)
    {
        var limit = options.Value.MaxPayloadBytes;
        if (length > limit)
        {
            throw RuntimeException.InvalidArgument($"{field} is {length} bytes, over the maximum of {limit} bytes (BusRuntime:MaxPayloadBytes).");
        }
    }

    private static void EnsureSourceNotSet(IReadOnlyDictionary<string, string> metadata)
    {
        foreach (var key in metadata.Keys)
        {
            if (ReservedMetadataKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw RuntimeException.InvalidArgument(
                    $"metadata key {Quoted.Of(key)} would set the event's source, which is the publisher's app id as its sidecar stamps it; leave it out.");
            }
        }
    }

    private static void EnsureEntryIdsUnique(IReadOnlyList<BulkPublishEntry> entries)
    {
        if (entries.Count == 0)
        {
            throw RuntimeException.InvalidArgument("entries is empty; a bulk publish needs at least one entry.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < entries.Count; index++)
        {
            var entryId = entries[index].EntryId;
            if (string.IsNullOrEmpty(entryId))
            {
                throw RuntimeException.InvalidArgument($"entries[{index}].entry_id is empty; every entry needs an id unique in the request.");
            }

            if (!seen.Add(entryId))
            {
                throw RuntimeException.InvalidArgument($"entries[{index}].entry_id {Quoted.Of(entryId)} is used twice; entry ids must be unique in the request.");
            }
        }
    }

    private static Uri TopicAddress(string pubsubName, string topic) => new($"exchange:{TopicNames.Exchange(pubsubName, topic)}");
}
