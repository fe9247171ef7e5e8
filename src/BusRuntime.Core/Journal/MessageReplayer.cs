using System.Text.Json;
using BusRuntime.Contracts;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.DeadLetters;
using BusRuntime.Core.Errors;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Security;
using BusRuntime.Core.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Journal;

/// <summary>
/// Sends a journaled topic event again: the recorded body and headers, a new message id, and the header
/// and CloudEvent extension <see cref="ReplayOfKey"/> naming the original, so subscribers can tell. An app's
/// view replays only what is in it (<see cref="JournalVisibility"/>): its own events to their topic, and any
/// event to its own subscription; the deployment's view anything anywhere.
/// </summary>
public sealed class MessageReplayer(
    IBus bus,
    IJournalStore store,
    TopicSubscriptions subscriptions,
    PubSubComponents components,
    TimeProvider timeProvider,
    IOptions<JournalOptions> journalOptions,
    IOptions<RuntimeOptions> runtimeOptions,
    IDeadLetterQueues? queues = null)
{
    public const string ReplayOfKey = "busruntime-replay-of";

    public async Task<ReplayResult> ReplayAsync(OperationsView view, string messageId, string? toTopic, string? toAppId, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!string.IsNullOrEmpty(toTopic) && !string.IsNullOrEmpty(toAppId))
        {
            throw RuntimeException.InvalidArgument("to_topic and to_app_id are both set; a replay goes to a topic or to one app's subscription, not both.");
        }

        if (!string.IsNullOrEmpty(toAppId) && !Names.IsValidAppId(toAppId))
        {
            throw RuntimeException.InvalidArgument($"to_app_id {Quoted.Of(toAppId)} must match {Names.AppIdPattern}.");
        }

        EnsureTargetInView(view, toAppId);
        var entries = await Journaled(store, journalOptions.Value, view, messageId, cancellationToken).ConfigureAwait(false);
        if (entries.All(entry => entry.Kind != MessageKinds.TopicEvent))
        {
            throw RuntimeException.FailedPrecondition($"message {messageId} is a {entries[0].Kind}; only topic events can be replayed.");
        }

        var original = entries.FirstOrDefault(entry => entry.Kind == MessageKinds.TopicEvent && entry.Body.Length > 0)
            ?? throw RuntimeException.FailedPrecondition(
                $"the journal did not keep the body of message {messageId} ({entries.Max(entry => entry.BodyOmittedBytes) ?? 0} bytes, over BusRuntime:Journal:MaxBodyBytes), so it cannot be replayed.");
        TopicEvent? recorded;
        try
        {
            recorded = JsonSerializer.Deserialize<TopicEvent>(original.Body, MessageJournal.BodyJson);
        }
        catch (JsonException unreadable)
        {
            throw new RuntimeException(ErrorCode.FailedPrecondition, $"the journal's body of message {messageId} is not a readable topic event: {unreadable.Message}", unreadable);
        }

        if (recorded is null)
        {
            throw RuntimeException.FailedPrecondition($"the journal's body of message {messageId} is not a topic event.");
        }

        EnsureSourceInView(view, messageId, recorded.Source, toAppId);
        var topic = string.IsNullOrEmpty(toTopic) ? recorded.Topic : toTopic;
        TopicValidation.EnsureValid(components, recorded.PubsubName, topic);
        if (!view.IsDeployment && string.IsNullOrEmpty(toAppId))
        {
            // To a topic, the app's replay is a publish of the app's: its publishing scopes hold.
            components.EnsureMayPublish(recorded.PubsubName, topic);
        }

        var metadata = new Dictionary<string, string>(recorded.Metadata, StringComparer.Ordinal) { [ReplayOfKey] = messageId };
        var replay = recorded with { Topic = topic, Metadata = metadata };
        var address = string.IsNullOrEmpty(toAppId)
            ? new Uri($"exchange:{TopicNames.Exchange(recorded.PubsubName, topic)}")
            : new Uri($"queue:{TopicNames.Queue(toAppId, recorded.PubsubName, topic)}");

        if (!string.IsNullOrEmpty(toAppId))
        {
            await EnsureSubscribedAsync(toAppId, recorded.PubsubName, topic, address, cancellationToken).ConfigureAwait(false);
        }

        var warnings = new List<string>();
        if (string.IsNullOrEmpty(toAppId) && !await HasBeenConsumedAsync(view, recorded.PubsubName, topic, cancellationToken).ConfigureAwait(false))
        {
            warnings.Add($"no subscriber of topic {Quoted.Of(topic)} is known to this sidecar (none here, none in the journal): the replayed event may reach nobody.");
        }

        if (dryRun)
        {
            return new ReplayResult(null, topic, address.ToString(), warnings);
        }

        var newId = NewId.NextGuid();
        var timeout = runtimeOptions.Value.PublishTimeout;
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            var endpoint = await bus.GetSendEndpoint(address).ConfigureAwait(false);
            await endpoint.Send(
                replay,
                context =>
                {
                    context.MessageId = newId;
                    foreach (var (key, value) in original.Headers)
                    {
                        context.Headers.Set(key, value);
                    }

                    context.Headers.Set(ReplayOfKey, messageId);
                },
                window.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw RuntimeException.Unavailable($"the broker did not confirm the replay of message {messageId} within {timeout.TotalSeconds:0.###}s; it may not have been sent.", exception);
        }
        catch (Exception exception) when (exception is not RuntimeException and not OperationCanceledException)
        {
            throw RuntimeException.Unavailable($"the broker did not accept the replay of message {messageId}: {exception.Message}", exception);
        }

        return new ReplayResult(newId.ToString(), topic, address.ToString(), warnings);
    }

    /// <summary>
    /// Every entry of a message in <paramref name="view"/>, oldest first; NOT_FOUND when there is none (whether the
    /// journal has none, or only another app's), FAILED_PRECONDITION when the journal is off.
    /// </summary>
    public static async Task<IReadOnlyList<JournalEntry>> Journaled(IJournalStore store, JournalOptions options, OperationsView view, string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(view);
        EnsureEnabled(options);
        if (string.IsNullOrWhiteSpace(messageId))
        {
            throw RuntimeException.InvalidArgument("message_id is empty.");
        }

        var entries = await store.GetAsync(messageId, cancellationToken).ConfigureAwait(false);
        if (view.AppId is { } appId)
        {
            entries = [.. entries.Where(entry => JournalVisibility.IsOf(entry, appId))];
        }

        return entries.Count > 0 ? entries : throw RuntimeException.NotFound($"message_id {Quoted.Of(messageId)} is not in the journal (unknown, or older than BusRuntime:Journal:Retention).");
    }

    /// <summary>Throws FAILED_PRECONDITION naming the key when the journal is off.</summary>
    public static void EnsureEnabled(JournalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            throw RuntimeException.FailedPrecondition("the journal is off on this sidecar (BusRuntime:Journal:Enabled is false).");
        }
    }

    /// <summary>Without the operator token an app replays nothing into another app's subscription.</summary>
    private static void EnsureTargetInView(OperationsView view, string? toAppId)
    {
        if (view.AppId is { } appId && !string.IsNullOrEmpty(toAppId) && toAppId != appId)
        {
            throw RuntimeException.PermissionDenied(
                $"to_app_id '{toAppId}' is another app's subscription: without the operator token ({OperatorTokenGuard.HeaderName}) the sidecar of app '{appId}' replays only to its own (to_app_id '{appId}').");
        }
    }

    /// <summary>
    /// Without the operator token an app replays another app's event (one delivered to it) to its own subscription
    /// only: the other subscribers of the topic did not ask for it again.
    /// </summary>
    private static void EnsureSourceInView(OperationsView view, string messageId, string source, string? toAppId)
    {
        if (view.AppId is { } appId && string.IsNullOrEmpty(toAppId) && source != appId)
        {
            throw RuntimeException.PermissionDenied(
                $"message {messageId} was published by app '{source}': without the operator token ({OperatorTokenGuard.HeaderName}) the sidecar of app '{appId}' replays it only to its own subscription (to_app_id '{appId}'), not to every subscriber of the topic.");
        }
    }

    /// <summary>
    /// A replay to one app goes to its subscription queue, which must exist: sending to a queue creates it,
    /// so a misspelt app id would otherwise leave the event in a new queue nobody reads.
    /// </summary>
    private async Task EnsureSubscribedAsync(string appId, string pubsubName, string topic, Uri address, CancellationToken cancellationToken)
    {
        var queue = TopicNames.Queue(appId, pubsubName, topic);
        var exists = queues is null
            // The in-memory bus is this process: the only subscriptions are this sidecar's own.
            ? appId == runtimeOptions.Value.AppId && subscriptions.List().Any(subscription => subscription.PubsubName == pubsubName && subscription.Topic == topic)
            : await queues.CountAsync(queue, cancellationToken).ConfigureAwait(false) is not null;
        if (!exists)
        {
            throw RuntimeException.FailedPrecondition(
                $"app {Quoted.Of(appId)} has no subscription to topic {Quoted.Of(topic)} of {Quoted.Of(pubsubName)} (no queue {address}); nothing was sent. Check the app id, or replay to the topic.");
        }
    }

    private async Task<bool> HasBeenConsumedAsync(OperationsView view, string pubsubName, string topic, CancellationToken cancellationToken)
    {
        if (subscriptions.List().Any(subscription => subscription.PubsubName == pubsubName && subscription.Topic == topic))
        {
            return true;
        }

        foreach (var outcome in (JournalOutcome[])[JournalOutcome.Delivered, JournalOutcome.DeadLettered])
        {
            var consumed = await store.QueryAsync(new JournalQuery(topic, null, null, outcome, 1) { AppId = view.AppId }, cancellationToken).ConfigureAwait(false);
            if (consumed.Count > 0)
            {
                return true;
            }
        }

        return false;
    }
}
