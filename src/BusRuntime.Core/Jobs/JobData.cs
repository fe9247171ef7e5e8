namespace BusRuntime.Core.Jobs;

/// <summary>
/// What a job carries, as Dapr keeps it: a protobuf <c>Any</c>'s type URL and bytes. Data scheduled over HTTP is JSON,
/// kept as a <c>google.protobuf.Value</c> (<see cref="JsonValueTypeUrl"/>) as daprd keeps it.
/// </summary>
public sealed record JobData(string TypeUrl, ReadOnlyMemory<byte> Value)
{
    /// <summary>The type URL of data that is JSON, which an HTTP app receives as the body.</summary>
    public const string JsonValueTypeUrl = "type.googleapis.com/google.protobuf.Value";
}
