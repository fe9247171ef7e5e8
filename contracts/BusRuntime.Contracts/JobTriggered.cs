namespace BusRuntime.Contracts;

/// <summary>
/// One tick of an app's job (Dapr's jobs API), sent as a request to <see cref="JobNames.Queue"/> of the app that
/// scheduled it; the sidecar that takes it delivers it to its app and answers with a <see cref="JobTriggerOutcome"/>.
/// </summary>
public sealed record JobTriggered
{
    /// <summary>The app whose job it is: a sidecar delivers only its own app's ticks.</summary>
    public required string AppId { get; init; }

    /// <summary>The job's name.</summary>
    public required string Name { get; init; }

    /// <summary>The tick: when the job's schedule said it fires.</summary>
    public DateTimeOffset Tick { get; init; }

    /// <summary>The type URL of the job's data (a protobuf <c>Any</c>'s); null when the job carries no data.</summary>
    public string? DataTypeUrl { get; init; }

    /// <summary>The job's data, as the <c>Any</c>'s bytes.</summary>
    public byte[] Data { get; init; } = [];
}
