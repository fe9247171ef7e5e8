namespace BusRuntime.Core.Errors;

/// <summary>
/// The answers to one kind of failure, a column per API. Dapr's HTTP error codes also depend on the operation
/// (<see cref="ErrorTable.DaprHttp"/>). A further API adds its column here, not a mapping of its own.
/// </summary>
/// <param name="Kind">The failure.</param>
/// <param name="BusRuntimeGrpc">The status of busruntime.v1's gRPC services.</param>
/// <param name="DaprGrpc">The status of Dapr's gRPC API (dapr.proto.runtime.v1.Dapr).</param>
/// <param name="LayottoGrpc">The status of Layotto's gRPC API (spec.proto.runtime.v1.Runtime).</param>
/// <param name="DaprHttpStatus">The HTTP status of Dapr's HTTP API, unless the operation gives the kind one of its own.</param>
public sealed record ErrorRow(ErrorCode Kind, CanonicalCode BusRuntimeGrpc, CanonicalCode DaprGrpc, CanonicalCode LayottoGrpc, int DaprHttpStatus);
