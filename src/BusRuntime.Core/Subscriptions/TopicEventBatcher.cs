namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// Bulk delivery for one handler: events on their way to it are gathered per route into batches, sent once a batch
/// holds <see cref="BulkSubscribeSettings.MaxMessagesCount"/> events or <see cref="BulkSubscribeSettings.MaxAwaitDurationMs"/>
/// after its first, and each event's own delivery completes with the outcome the app gave that event. Each event keeps
/// its own message on the queue, so it is acknowledged, retried or dead-lettered on its own; an event whose delivery
/// ended (timed out, subscription closed) before its batch went out is left out of it.
/// </summary>
internal sealed class TopicEventBatcher(
    IBulkTopicEventHandler handler, BulkSubscribeSettings settings, TimeSpan deliveryTimeout, TimeProvider timeProvider, CancellationToken closing)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Batch> open = new(StringComparer.Ordinal);

    public Task<DeliveryOutcome> DeliverAsync(DeliveredTopicEvent topicEvent, CancellationToken cancellationToken)
    {
        var pending = new Pending(topicEvent, new TaskCompletionSource<DeliveryOutcome>(TaskCreationOptions.RunContinuationsAsynchronously), cancellationToken);
        Batch? full = null;
        lock (gate)
        {
            if (!open.TryGetValue(topicEvent.Path, out var batch))
            {
                batch = new Batch(topicEvent.Path);
                open[topicEvent.Path] = batch;
                batch.Timer = timeProvider.CreateTimer(_ => SendWhenDue(batch), null, TimeSpan.FromMilliseconds(settings.MaxAwaitDurationMs), Timeout.InfiniteTimeSpan);
            }

            batch.Entries.Add(pending);
            if (batch.Entries.Count >= settings.MaxMessagesCount)
            {
                open.Remove(topicEvent.Path);
                full = batch;
            }
        }

        if (full is not null)
        {
            _ = SendAsync(full);
        }

        return pending.Answer.Task.WaitAsync(cancellationToken);
    }

    private void SendWhenDue(Batch batch)
    {
        lock (gate)
        {
            // Sent already, once full.
            if (!open.TryGetValue(batch.Path, out var current) || current != batch)
            {
                return;
            }

            open.Remove(batch.Path);
        }

        _ = SendAsync(batch);
    }

    private async Task SendAsync(Batch batch)
    {
        List<Pending> entries;
        lock (gate)
        {
            entries = [.. batch.Entries.Where(entry => !entry.CancellationToken.IsCancellationRequested)];
        }

        await (batch.Timer?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
        if (entries.Count == 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(deliveryTimeout, timeProvider);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, closing);
        try
        {
            var outcomes = await handler.HandleBulkAsync([.. entries.Select(entry => entry.Event)], call.Token).ConfigureAwait(false);
            for (var index = 0; index < entries.Count; index++)
            {
                entries[index].Answer.TrySetResult(index < outcomes.Count ? outcomes[index] : DeliveryOutcome.Retry);
            }
        }
        catch (Exception exception)
        {
            // Each event's delivery reports it (a timeout, or a failure counted as RETRY) as for one event.
            foreach (var entry in entries)
            {
                entry.Answer.TrySetException(exception);
            }
        }
    }

    private sealed record Pending(DeliveredTopicEvent Event, TaskCompletionSource<DeliveryOutcome> Answer, CancellationToken CancellationToken);

    private sealed class Batch(string path)
    {
        public string Path => path;

        public List<Pending> Entries { get; } = [];

        public ITimer? Timer { get; set; }
    }
}
