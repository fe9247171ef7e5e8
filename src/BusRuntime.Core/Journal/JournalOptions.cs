using System.ComponentModel.DataAnnotations;

namespace BusRuntime.Core.Journal;

/// <summary>The message journal (configuration section "BusRuntime:Journal").</summary>
public sealed class JournalOptions
{
    public const string SectionName = "BusRuntime:Journal";

    /// <summary>Whether the sidecar journals its messages. On PostgreSQL when BusRuntime:Postgres is set, in memory otherwise.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many entries the in-memory journal keeps; the oldest go first.</summary>
    [Range(1, 10_000_000, ErrorMessage = "BusRuntime:Journal:Capacity must be between 1 and 10000000.")]
    public int Capacity { get; set; } = 10_000;

    /// <summary>How many bytes of headers and bodies (UTF-8) the in-memory journal keeps; the oldest entries go first. Default 64 MiB.</summary>
    [Range(1024L, 64L * 1024 * 1024 * 1024, ErrorMessage = "BusRuntime:Journal:CapacityBytes must be between 1024 and 68719476736.")]
    public long CapacityBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// The largest body the journal keeps (as JSON, in bytes); a larger message is journaled without its body,
    /// with its size, and cannot be replayed. 0 keeps no bodies.
    /// </summary>
    [Range(0, 64 * 1024 * 1024, ErrorMessage = "BusRuntime:Journal:MaxBodyBytes must be between 0 and 67108864.")]
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How many entries may wait for the writer; beyond that they are dropped and counted, never waited for.</summary>
    [Range(1, 10_000_000, ErrorMessage = "BusRuntime:Journal:BufferSize must be between 1 and 10000000.")]
    public int BufferSize { get; set; } = 10_000;

    /// <summary>
    /// How many bytes of messages (headers and bodies, roughly) may wait for the writer; beyond that entries are
    /// dropped and counted, never waited for. An entry arriving at an empty buffer is always taken. Default 64 MiB.
    /// </summary>
    [Range(1024L, 64L * 1024 * 1024 * 1024, ErrorMessage = "BusRuntime:Journal:BufferBytes must be between 1024 and 68719476736.")]
    public long BufferBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The most entries the writer stores in one write.</summary>
    [Range(1, 10_000, ErrorMessage = "BusRuntime:Journal:BatchSize must be between 1 and 10000.")]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// How long the writer waits for more entries before it stores a batch that is not full, on a store where one
    /// write of many entries costs far less than many writes of a few (PostgreSQL: each is a commit). 0 stores at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05", ErrorMessage = "BusRuntime:Journal:FlushDelay must be between 00:00:00 and 00:00:05.")]
    public TimeSpan FlushDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long entries are kept.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00", ErrorMessage = "BusRuntime:Journal:Retention must be between 00:01:00 and 3650.00:00:00.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often entries older than the retention are deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "BusRuntime:Journal:SweepInterval must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);
}
