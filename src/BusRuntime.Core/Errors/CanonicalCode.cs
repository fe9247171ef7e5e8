namespace BusRuntime.Core.Errors;

/// <summary>
/// The canonical status codes (google.rpc.Code) by the numbers gRPC sends, so that the core names a status
/// without depending on a gRPC library; a façade casts them to its library's type.
/// </summary>
public enum CanonicalCode
{
    Ok = 0,
    Cancelled = 1,
    Unknown = 2,
    InvalidArgument = 3,
    DeadlineExceeded = 4,
    NotFound = 5,
    AlreadyExists = 6,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    Aborted = 10,
    OutOfRange = 11,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
    DataLoss = 15,
    Unauthenticated = 16,
}
