using BusRuntime.Core.Journal;
using Microsoft.Extensions.Options;

namespace BusRuntime.Stores.InMemory.Journal;

/// <summary>
/// The embedded journal: the newest entries within <see cref="JournalOptions.Capacity"/> entries and
/// <see cref="JournalOptions.CapacityBytes"/> bytes of headers and bodies (UTF-8), oldest dropped first.
/// </summary>
public sealed class InMemoryJournalStore(IOptions<JournalOptions> options) : IJournalStore, IDisposable
{
    private readonly int capacity = options.Value.Capacity;
    private readonly long capacityBytes = options.Value.CapacityBytes;
    private readonly Lock gate = new();
    private readonly LinkedList<KeptJournalEntry> entries = new();
    private readonly JournalHeadersJson headersJson = new();
    private long bytes;

    public bool BatchesWrites => false;

    public Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (gate)
        {
            foreach (var entry in entries)
            {
                // A full journal gives its oldest entry, node and buffer included, to the newest.
                var node = this.entries.Count >= capacity ? RemoveOldest() : new LinkedListNode<KeptJournalEntry>(new KeptJournalEntry());
                node.Value.Keep(entry, headersJson);
                this.entries.AddLast(node);
                bytes += node.Value.Size;
            }

            while (bytes > capacityBytes && this.entries.Count > 1)
            {
                RemoveOldest();
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<JournalEntry>> QueryAsync(JournalQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var found = new List<JournalEntry>();
        lock (gate)
        {
            for (var node = entries.Last; node is not null && found.Count < query.Limit; node = node.Previous)
            {
                var entry = node.Value.Fields;
                if ((query.Topic is null || entry.Topic == query.Topic)
                    && (query.SourceAppId is null || entry.SourceAppId == query.SourceAppId)
                    && (query.AppId is null || JournalVisibility.IsOf(entry, query.AppId))
                    && (query.Since is null || entry.RecordedAt >= query.Since)
                    && (query.Before is null || entry.RecordedAt < query.Before)
                    && (query.Kind is null || entry.Kind == query.Kind)
                    && (query.ConversationId is null || entry.ConversationId == query.ConversationId)
                    && (query.Outcome is null || entry.Outcome == query.Outcome))
                {
                    found.Add(node.Value.ToEntry());
                }
            }
        }

        return Task.FromResult<IReadOnlyList<JournalEntry>>(found);
    }

    public Task<IReadOnlyList<JournalEntry>> GetAsync(string messageId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<JournalEntry>>(
                [.. entries.Where(kept => kept.Fields.MessageId == messageId).OrderBy(kept => kept.Fields.RecordedAt).Select(kept => kept.ToEntry())]);
        }
    }

    public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var deleted = 0;
        lock (gate)
        {
            while (entries.First is { } first && first.Value.Fields.RecordedAt < cutoff)
            {
                RemoveOldest();
                deleted++;
            }
        }

        return Task.FromResult(deleted);
    }

    public void Dispose() => headersJson.Dispose();

    private LinkedListNode<KeptJournalEntry> RemoveOldest()
    {
        var oldest = entries.First!;
        bytes -= oldest.Value.Size;
        entries.RemoveFirst();
        return oldest;
    }
}
