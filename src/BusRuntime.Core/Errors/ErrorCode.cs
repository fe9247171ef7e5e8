namespace BusRuntime.Core.Errors;

/// <summary>What went wrong, in the terms every façade maps to its own status codes.</summary>
public enum ErrorCode
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    FailedPrecondition,
    Aborted,
    Unavailable,
    DeadlineExceeded,
    PermissionDenied,
}
