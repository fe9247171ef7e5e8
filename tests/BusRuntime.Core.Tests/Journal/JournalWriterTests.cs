using System.Text;
using BusRuntime.Contracts;
using BusRuntime.Core.Journal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Core.Tests.Journal;

public sealed class JournalWriterTests
{
    [Fact]
    public void Record_BufferFull_DropsWithoutWaitingAndCountsTheDrops()
    {
        using var meters = new DroppedEntries();
        var journal = new MessageJournal(Options.Create(new JournalOptions { BufferSize = 2 }), meters.Metrics, NullLogger<MessageJournal>.Instance);

        for (var i = 0; i < 5; i++)
        {
            journal.Record(Entry($"m{i}"), null, 0);
        }

        Assert.Equal(3, meters.Count("buffer_full"));
    }

    [Fact]
    public async Task Record_BufferBytesReached_DropsWithoutWaitingUntilTheWriterTookTheEntriesBefore()
    {
        using var meters = new DroppedEntries();
        var options = Options.Create(new JournalOptions { BufferBytes = 10_000 });
        var journal = new MessageJournal(options, meters.Metrics, NullLogger<MessageJournal>.Instance);

        journal.Record(Entry("first"), Event(4_000), 4_000);
        journal.Record(Entry("second"), Event(4_000), 4_000);
        journal.Record(Entry("third"), Event(4_000), 4_000);
        var taken = await journal.TakeAsync(10, TimeSpan.Zero, TimeProvider.System, CancellationToken.None);
        journal.Record(Entry("fourth"), Event(4_000), 4_000);
        var takenLater = await journal.TakeAsync(10, TimeSpan.Zero, TimeProvider.System, CancellationToken.None);

        Assert.Equal(["first", "second"], taken.Select(entry => entry.MessageId));
        Assert.Equal(1, meters.Count("buffer_full"));
        Assert.Equal(["fourth"], takenLater.Select(entry => entry.MessageId));
    }

    [Fact]
    public async Task Record_EntryLargerThanBufferBytes_IsTakenWhenTheBufferIsEmptyAndRefusedOtherwise()
    {
        using var meters = new DroppedEntries();
        var journal = new MessageJournal(Options.Create(new JournalOptions { BufferBytes = 2_000 }), meters.Metrics, NullLogger<MessageJournal>.Instance);

        journal.Record(Entry("alone"), Event(50_000), 50_000);
        journal.Record(Entry("behind-it"), Event(10), 10);
        var taken = await journal.TakeAsync(10, TimeSpan.Zero, TimeProvider.System, CancellationToken.None);

        Assert.Equal(["alone"], taken.Select(entry => entry.MessageId));
        Assert.Equal(1, meters.Count("buffer_full"));
    }

    [Fact]
    public async Task RecordReceived_RawEnvelopeWithCredentials_IsStoredRedactedAndAnOversizedOneWithoutItsBody()
    {
        using var meters = new DroppedEntries();
        var journal = new MessageJournal(Options.Create(new JournalOptions { MaxBodyBytes = 400 }), meters.Metrics, NullLogger<MessageJournal>.Instance);
        var envelope = """{"messageId":"m1","headers":{"Authorization":"Bearer s3cret","x-tenant":"acme"},"message":{"metadata":{"api-key":"k3y"},"note":"hello"}}""";
        var headers = new Dictionary<string, string> { ["authorization"] = "Bearer s3cret", ["Content-Type"] = "application/vnd.masstransit+json" };

        journal.RecordReceived(Entry("small") with { Headers = headers }, Encoding.UTF8.GetBytes(envelope));
        journal.RecordReceived(Entry("big") with { Headers = headers }, Encoding.UTF8.GetBytes(envelope.Replace("hello", new string('x', 1_000), StringComparison.Ordinal)));
        journal.RecordReceived(Entry("not-json"), Encoding.UTF8.GetBytes("plain text"));
        var taken = await journal.TakeAsync(10, TimeSpan.Zero, TimeProvider.System, CancellationToken.None);

        var small = taken.Single(entry => entry.MessageId == "small");
        var big = taken.Single(entry => entry.MessageId == "big");
        Assert.Equal("***", small.Headers["authorization"]);
        Assert.Equal("application/vnd.masstransit+json", small.Headers["Content-Type"]);
        Assert.DoesNotContain("s3cret", small.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("k3y", small.Body, StringComparison.Ordinal);
        Assert.Contains("\"x-tenant\":\"acme\"", small.Body, StringComparison.Ordinal);
        Assert.Contains("\"note\":\"hello\"", small.Body, StringComparison.Ordinal);
        Assert.Null(small.BodyOmittedBytes);
        Assert.Equal("***", big.Headers["authorization"]);
        Assert.Equal("", big.Body);
        Assert.True(big.BodyOmittedBytes > 1_000, $"body_omitted_bytes is {big.BodyOmittedBytes}");
        Assert.Equal("plain text", taken.Single(entry => entry.MessageId == "not-json").Body);
    }

    [Fact]
    public async Task Writer_DrainOutOfTime_CountsTheBatchBeingWrittenAndEveryBufferedEntryAsShutdown()
    {
        using var meters = new DroppedEntries();
        var clock = new FakeTimeProvider();
        var options = Options.Create(new JournalOptions { BatchSize = 1 });
        var journal = new MessageJournal(options, meters.Metrics, NullLogger<MessageJournal>.Instance);
        var store = new GatedStore();
        var logger = new RecordingLogger();
        using var writer = new JournalWriter(journal, store, meters.Metrics, clock, options, logger);
        await writer.StartAsync(CancellationToken.None);

        journal.Record(Entry("first"), null, 0);
        await store.FirstAppendStarted.Task;
        for (var i = 0; i < 4; i++)
        {
            journal.Record(Entry($"buffered-{i}"), null, 0);
        }

        var stopping = writer.StopAsync(CancellationToken.None);
        // The drain writes the interrupted batch again; the store never answers, so the drain's 5 s run out.
        await WaitUntilAsync(() => store.Appends == 2);
        clock.Advance(TimeSpan.FromSeconds(5));
        await stopping;

        Assert.Empty(store.Stored);
        Assert.Equal(5, meters.Count("shutdown"));
        Assert.Equal(0, journal.Discard());
        Assert.Equal("The journal could not write 5 journal entries in the 5 s a stopping sidecar gives it; they are lost (counted in busruntime.journal.dropped as shutdown)", Assert.Single(logger.Messages));
    }

    [Fact]
    public async Task Writer_BatchNotFull_WaitsTheFlushDelayForMoreAndWritesThemInOneBatch()
    {
        using var meters = new DroppedEntries();
        var clock = new FakeTimeProvider();
        var options = Options.Create(new JournalOptions { BatchSize = 10, FlushDelay = TimeSpan.FromMilliseconds(100) });
        var journal = new MessageJournal(options, meters.Metrics, NullLogger<MessageJournal>.Instance);
        var store = new FlakyStore { BatchesWrites = true };
        using var writer = new JournalWriter(journal, store, meters.Metrics, clock, options, NullLogger<JournalWriter>.Instance);
        journal.Record(Entry("first"), null, 0);
        journal.Record(Entry("second"), null, 0);
        journal.Record(Entry("third"), null, 0);
        await writer.StartAsync(CancellationToken.None);

        // Without the delay the writer would store them within milliseconds; the clock has not moved yet.
        await Task.Delay(300);
        Assert.Equal(0, store.Appends);
        await WaitUntilAsync(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            return store.Stored.Count == 3;
        });
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(1, store.Appends);
        Assert.Equal(["first", "second", "third"], store.Stored.Select(entry => entry.MessageId));
    }

    [Fact]
    public async Task Writer_DrainWriteEndsAfterTheDrainTimedOut_CountsOnlyWhatWasNotWrittenAsShutdown()
    {
        using var meters = new DroppedEntries();
        var clock = new FakeTimeProvider();
        var options = Options.Create(new JournalOptions { BatchSize = 1 });
        var journal = new MessageJournal(options, meters.Metrics, NullLogger<MessageJournal>.Instance);
        var store = new LateStore();
        using var writer = new JournalWriter(journal, store, meters.Metrics, clock, options, NullLogger<JournalWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        journal.Record(Entry("first"), null, 0);
        await WaitUntilAsync(() => store.Appends == 1);
        journal.Record(Entry("written"), null, 0);
        journal.Record(Entry("lost"), null, 0);

        // "first" is being written when the stop begins; the drain then takes "written", whose write ends only
        // after the drain's 5 s are over: "lost" is all that was not written.
        var stopping = writer.StopAsync(CancellationToken.None);
        store.Release(0);
        await WaitUntilAsync(() => store.Appends == 2);
        clock.Advance(TimeSpan.FromSeconds(5));
        store.Release(1);
        await stopping;

        Assert.Equal(["first", "written"], store.Stored.Select(entry => entry.MessageId));
        Assert.Equal(1, meters.Count("shutdown"));
    }

    [Fact]
    public async Task Writer_StoreFails_DropsTheBatchCountsItAndWritesAgainOnceTheStoreIsBack()
    {
        using var meters = new DroppedEntries();
        var options = Options.Create(new JournalOptions { BatchSize = 10 });
        var journal = new MessageJournal(options, meters.Metrics, NullLogger<MessageJournal>.Instance);
        var store = new FlakyStore { Failing = true };
        using var writer = new JournalWriter(journal, store, meters.Metrics, TimeProvider.System, options, NullLogger<JournalWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);

        journal.Record(Entry("lost-1"), null, 0);
        journal.Record(Entry("lost-2"), null, 0);
        await WaitUntilAsync(() => meters.Count("store_failed") == 2);
        store.Failing = false;
        journal.Record(Entry("kept"), new { hello = "world" }, 0);
        await WaitUntilAsync(() => !store.Stored.IsEmpty);
        await writer.StopAsync(CancellationToken.None);

        var kept = Assert.Single(store.Stored);
        Assert.Equal("kept", kept.MessageId);
        Assert.Equal("{\"hello\":\"world\"}", kept.Body);
    }

    [Fact]
    public async Task Writer_StoppedWhileABatchIsBeingWritten_WritesItAndTheBufferedOnesBeforeItStops()
    {
        using var meters = new DroppedEntries();
        var options = Options.Create(new JournalOptions { BatchSize = 1 });
        var journal = new MessageJournal(options, meters.Metrics, NullLogger<MessageJournal>.Instance);
        var store = new GatedStore();
        using var writer = new JournalWriter(journal, store, meters.Metrics, TimeProvider.System, options, NullLogger<JournalWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);

        journal.Record(Entry("first"), null, 0);
        await store.FirstAppendStarted.Task;
        journal.Record(Entry("second"), null, 0);
        journal.Record(Entry("third"), null, 0);
        var stopping = writer.StopAsync(CancellationToken.None);
        store.Release.SetResult();
        await stopping;

        Assert.Equal(["first", "second", "third"], store.Stored.Select(entry => entry.MessageId));
    }

    [Fact]
    public async Task Writer_BodyOverMaxBodyBytes_StoresTheEntryWithoutItsBodyButWithItsSize()
    {
        using var meters = new DroppedEntries();
        var options = Options.Create(new JournalOptions { MaxBodyBytes = 100 });
        var journal = new MessageJournal(options, meters.Metrics, NullLogger<MessageJournal>.Instance);
        var store = new FlakyStore();
        using var writer = new JournalWriter(journal, store, meters.Metrics, TimeProvider.System, options, NullLogger<JournalWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);

        journal.Record(Entry("small"), new { text = "ok" }, 0);
        journal.Record(Entry("big"), new { text = new string('x', 200) }, 0);
        await WaitUntilAsync(() => store.Stored.Count == 2);
        await writer.StopAsync(CancellationToken.None);

        var small = store.Stored.Single(entry => entry.MessageId == "small");
        var big = store.Stored.Single(entry => entry.MessageId == "big");
        Assert.Equal("{\"text\":\"ok\"}", small.Body);
        Assert.Null(small.BodyOmittedBytes);
        Assert.Equal("", big.Body);
        Assert.Equal(211, big.BodyOmittedBytes); // {"text":"…"} around 200 characters
    }

    [Fact]
    public async Task Record_AfterTheWriterStopped_IsCountedAsStoppedNotAsAFullBuffer()
    {
        using var meters = new DroppedEntries();
        var options = Options.Create(new JournalOptions());
        var journal = new MessageJournal(options, meters.Metrics, NullLogger<MessageJournal>.Instance);
        var store = new FlakyStore();
        using var writer = new JournalWriter(journal, store, meters.Metrics, TimeProvider.System, options, NullLogger<JournalWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        journal.Record(Entry("in-time"), null, 0);
        await WaitUntilAsync(() => !store.Stored.IsEmpty);
        await writer.StopAsync(CancellationToken.None);

        journal.Record(Entry("late"), null, 0);

        Assert.Equal(1, meters.Count("stopped"));
        Assert.Equal(0, meters.Count("buffer_full"));
    }

    [Fact]
    public async Task Writer_BufferCompletedWhileRunning_EndsInsteadOfPollingTheEmptyBuffer()
    {
        using var meters = new DroppedEntries();
        var options = Options.Create(new JournalOptions());
        var journal = new MessageJournal(options, meters.Metrics, NullLogger<MessageJournal>.Instance);
        var store = new FlakyStore();
        using var writer = new JournalWriter(journal, store, meters.Metrics, TimeProvider.System, options, NullLogger<JournalWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        journal.Record(Entry("before"), null, 0);
        await WaitUntilAsync(() => !store.Stored.IsEmpty);

        journal.Complete();

        // Before the fix the loop took empty batches from the completed buffer forever, burning a core.
        await writer.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["before"], store.Stored.Select(entry => entry.MessageId));
    }

    private static TopicEvent Event(int dataBytes) => new() { PubsubName = "pubsub", Topic = "orders", Source = "shop", Data = new byte[dataBytes] };

    private static JournalEntry Entry(string id) => new() { MessageId = id, Kind = "topic-event", RecordedAt = DateTimeOffset.UnixEpoch, Outcome = JournalOutcome.Sent };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time.");
            await Task.Delay(10);
        }
    }

    private sealed class FlakyStore : IJournalStore
    {
        public volatile bool Failing;

        private int appends;

        public bool BatchesWrites { get; init; }

        public System.Collections.Concurrent.ConcurrentQueue<JournalEntry> Stored { get; } = new();

        public Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
        {
            if (Failing)
            {
                throw new InvalidOperationException("the store is down");
            }

            Interlocked.Increment(ref appends);
            foreach (var entry in entries)
            {
                Stored.Enqueue(entry);
            }

            return Task.CompletedTask;
        }

        public int Appends => Volatile.Read(ref appends);

        public Task<IReadOnlyList<JournalEntry>> QueryAsync(JournalQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<JournalEntry>> GetAsync(string messageId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class RecordingLogger : ILogger<JournalWriter>
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));
    }

    /// <summary>A store whose n-th append ends when the test releases it, whatever the writer's token says.</summary>
    private sealed class LateStore : IJournalStore
    {
        private readonly TaskCompletionSource[] gates = [new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously)];
        private int appends;

        public bool BatchesWrites => false;

        public System.Collections.Concurrent.ConcurrentQueue<JournalEntry> Stored { get; } = new();

        public int Appends => Volatile.Read(ref appends);

        public void Release(int append) => gates[append].SetResult();

        public async Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
        {
            var append = Interlocked.Increment(ref appends) - 1;
            await gates[append].Task;
            foreach (var entry in entries)
            {
                Stored.Enqueue(entry);
            }
        }

        public Task<IReadOnlyList<JournalEntry>> QueryAsync(JournalQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<JournalEntry>> GetAsync(string messageId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    /// <summary>A store whose first append waits until the test releases it.</summary>
    private sealed class GatedStore : IJournalStore
    {
        public bool BatchesWrites => false;

        public TaskCompletionSource FirstAppendStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentQueue<JournalEntry> Stored { get; } = new();

        private int appends;

        public int Appends => Volatile.Read(ref appends);

        public async Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref appends);
            FirstAppendStarted.TrySetResult();
            // As a database write does, this one gives up when the writer's stopping token fires.
            await Release.Task.WaitAsync(cancellationToken);
            foreach (var entry in entries)
            {
                Stored.Enqueue(entry);
            }
        }

        public Task<IReadOnlyList<JournalEntry>> QueryAsync(JournalQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<JournalEntry>> GetAsync(string messageId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
