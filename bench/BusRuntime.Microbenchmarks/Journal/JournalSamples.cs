using System.Globalization;
using BusRuntime.Contracts;
using BusRuntime.Core.Journal;

namespace BusRuntime.Microbenchmarks.Journal;

/// <summary>
/// What the journal records for a typical publish: a topic event with 1 KiB of data and the headers MassTransit and the
/// sidecar put on its send.
/// </summary>
internal static class JournalSamples
{
    public static TopicEvent TopicEvent { get; } = new()
    {
        PubsubName = "pubsub",
        Topic = "orders",
        Source = "checkout",
        Data = [.. Enumerable.Range(0, 1024).Select(index => (byte)('a' + (index % 26)))],
        Metadata = new Dictionary<string, string> { ["priority"] = "high", ["tenant"] = "eu-1" },
    };

    /// <summary>The headers as MassTransit's send context holds them (some values are not strings).</summary>
    public static IReadOnlyList<KeyValuePair<string, object>> SendHeaders { get; } =
    [
        new("MT-Activity-Id", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
        new("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
        new("MT-Host-MachineName", "sidecar-7d9f8b6c4-x2kq9"),
        new("MT-Host-ProcessName", "dotnet"),
        new("MT-Host-ProcessId", 4711),
        new("MT-Host-Assembly", "busruntime"),
        new("MT-Host-AssemblyVersion", "0.1.0.0"),
        new("MT-Host-MassTransitVersion", "8.5.12.0"),
        new("MT-Host-FrameworkVersion", "10.0.0"),
        new("MT-Host-OperatingSystemVersion", "Unix 6.8.0.0"),
        new("Content-Type", "application/vnd.masstransit+json"),
    ];

    public static Dictionary<string, string> Headers() =>
        SendHeaders.ToDictionary(pair => pair.Key, pair => Convert.ToString(pair.Value, CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal);

    /// <summary>The entry the observer hands to the journal for the sample's publish, before the writer adds its body.</summary>
    public static JournalEntry Recorded() => new()
    {
        MessageId = "5f2b0000-0000-0a00-1c44-08de35d1e3a4",
        ConversationId = "5f2b0000-0000-0a00-1c45-08de35d1e3a4",
        Kind = MessageKinds.TopicEvent,
        SourceAppId = "checkout",
        DestinationAddress = "rabbitmq://localhost/busruntime.topic.pubsub.orders",
        Topic = "orders",
        Headers = Headers(),
        RecordedAt = new DateTimeOffset(2026, 12, 7, 17, 0, 0, TimeSpan.Zero),
        Outcome = JournalOutcome.Sent,
    };
}
