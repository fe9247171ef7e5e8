namespace BusRuntime.Core.Journal;

/// <summary>
/// One journaled observation of a message: sent, delivered, dead-lettered, dropped or faulted. A message
/// that was sent and consumed by the same sidecar has one entry for each; together they are its history.
/// </summary>
public sealed record JournalEntry
{
    /// <summary>The MassTransit message id (for a topic event, its CloudEvent id).</summary>
    public required string MessageId { get; init; }

    public string? ConversationId { get; init; }

    public string? CorrelationId { get; init; }

    /// <summary>What the message is, from its type: "topic-event", "state-change", or the type's name.</summary>
    public required string Kind { get; init; }

    /// <summary>The app that produced the message, when the message says so.</summary>
    public string? SourceAppId { get; init; }

    /// <summary>Where the message was sent, or the endpoint that received it.</summary>
    public string? DestinationAddress { get; init; }

    /// <summary>The app whose queue <see cref="DestinationAddress"/> is (busruntime.app.{app}.…), when it is one.</summary>
    public string? DestinationAppId => JournalVisibility.AppOfQueue(DestinationAddress);

    /// <summary>The pub/sub topic of a topic event.</summary>
    public string? Topic { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The message as JSON; empty when it was not kept (see <see cref="BodyOmittedBytes"/>).</summary>
    public string Body { get; init; } = "";

    /// <summary>The size of a body over <see cref="JournalOptions.MaxBodyBytes"/>, which the journal did not keep; null when it kept it.</summary>
    public int? BodyOmittedBytes { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    public required JournalOutcome Outcome { get; init; }

    /// <summary>How many times delivery was retried before the outcome.</summary>
    public int Retries { get; init; }

    /// <summary>Why a message was dead-lettered or faulted.</summary>
    public string? Reason { get; init; }
}
