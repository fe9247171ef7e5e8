using BusRuntime.Core.Journal;
using Microsoft.Extensions.Options;

namespace BusRuntime.Stores.InMemory.Journal;

/// <summary>
/// The embedded journal: the newest entries within <see cref="JournalOptions.Capacity"/> entries and
/// <see cref="JournalOptions.CapacityBytes"/> bytes of bodies, oldest dropped first.
/// </summary>
public sealed class InMemoryJournalStore(IOptions<JournalOptions> options) : IJournalStore
{
    private readonly int capacity = options.Value.Capacity;
    private readonly long capacityBytes = options.Value.CapacityBytes;
    private readonly Lock gate = new();
    private readonly LinkedList<JournalEntry> entries = new();
    private long bytes;

    public bool BatchesWrites => false;

    public Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (gate)
        {
            foreach (var entry in entries)
            {
                this.entries.AddLast(entry);
                bytes += Size(entry);
            }

            while (this.entries.Count > capacity || (bytes > capacityBytes && this.entries.Count > 1))
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
                var entry = node.Value;
                if ((query.Topic is null || entry.Topic == query.Topic)
                    && (query.SourceAppId is null || entry.SourceAppId == query.SourceAppId)
                    && (query.AppId is null || JournalVisibility.IsOf(entry, query.AppId))
                    && (query.Since is null || entry.RecordedAt >= query.Since)
                    && (query.Before is null || entry.RecordedAt < query.Before)
                    && (query.Kind is null || entry.Kind == query.Kind)
                    && (query.ConversationId is null || entry.ConversationId == query.ConversationId)
                    && (query.Outcome is null || entry.Outcome == query.Outcome))
                {
                    found.Add(entry);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<JournalEntry>>(found);
    }

    public Task<IReadOnlyList<JournalEntry>> GetAsync(string messageId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<JournalEntry>>([.. entries.Where(entry => entry.MessageId == messageId).OrderBy(entry => entry.RecordedAt)]);
        }
    }

    public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var deleted = 0;
        lock (gate)
        {
            while (entries.First is { } first && first.Value.RecordedAt < cutoff)
            {
                RemoveOldest();
                deleted++;
            }
        }

        return Task.FromResult(deleted);
    }

    private void RemoveOldest()
    {
        bytes -= Size(entries.First!.Value);
        entries.RemoveFirst();
    }

    // Bodies dominate an entry's memory; a string holds two bytes a character.
    private static long Size(JournalEntry entry) => entry.Body.Length * 2L;
}
