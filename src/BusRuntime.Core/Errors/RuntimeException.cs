namespace BusRuntime.Core.Errors;

/// <summary>
/// A failure a caller can act on. The message names the offending field or component and is shown
/// to the caller as it is, so it never contains secrets or payloads.
/// </summary>
public sealed class RuntimeException : Exception
{
    public RuntimeException(ErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException) => Code = code;

    public ErrorCode Code { get; }

    public static RuntimeException InvalidArgument(string message) => new(ErrorCode.InvalidArgument, message);

    public static RuntimeException NotFound(string message) => new(ErrorCode.NotFound, message);

    public static RuntimeException ComponentNotFound(string message) => new(ErrorCode.ComponentNotFound, message);

    public static RuntimeException FailedPrecondition(string message) => new(ErrorCode.FailedPrecondition, message);

    public static RuntimeException Aborted(string message) => new(ErrorCode.Aborted, message);

    public static RuntimeException Unavailable(string message, Exception? innerException = null) =>
        new(ErrorCode.Unavailable, message, innerException);

    public static RuntimeException DeadlineExceeded(string message, Exception? innerException = null) =>
        new(ErrorCode.DeadlineExceeded, message, innerException);

    public static RuntimeException ResourceExhausted(string message, Exception? innerException = null) =>
        new(ErrorCode.ResourceExhausted, message, innerException);

    public static RuntimeException Internal(string message, Exception? innerException = null) => new(ErrorCode.Internal, message, innerException);

    public static RuntimeException PermissionDenied(string message) => new(ErrorCode.PermissionDenied, message);

    public static RuntimeException Unauthenticated(string message) => new(ErrorCode.Unauthenticated, message);

    public static RuntimeException Unimplemented(string message) => new(ErrorCode.Unimplemented, message);
}
