namespace BusRuntime.Core.Errors;

/// <summary>What went wrong, in the terms every façade maps to its own status codes.</summary>
public enum ErrorCode
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    FailedPrecondition,
    Aborted,
    ResourceExhausted,
    Unavailable,
    DeadlineExceeded,

    /// <summary>Something failed that the caller cannot fix (a bug, or a database refusing for a reason only an operator can fix).</summary>
    Internal,
}
