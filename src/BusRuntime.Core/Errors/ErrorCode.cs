namespace BusRuntime.Core.Errors;

/// <summary>
/// What went wrong: the one vocabulary of failures. <see cref="ErrorTable"/> gives each kind's answer on
/// every API the sidecar serves.
/// </summary>
public enum ErrorCode
{
    InvalidArgument,

    /// <summary>The thing the call names does not exist (a secret, a workflow instance, a journaled message).</summary>
    NotFound,
    AlreadyExists,
    FailedPrecondition,
    Aborted,
    ResourceExhausted,
    Unavailable,
    DeadlineExceeded,

    /// <summary>Something failed that the caller cannot fix (a bug, or a database refusing for a reason only an operator can fix).</summary>
    Internal,

    /// <summary>The caller may not do this (a secret outside its store's allow-list).</summary>
    PermissionDenied,

    /// <summary>
    /// The call names a component (a store, a pub/sub) that is not configured. NOT_FOUND on busruntime.v1;
    /// Dapr's APIs answer it apart from other missing things, as an invalid argument.
    /// </summary>
    ComponentNotFound,

    /// <summary>The call presents a credential that is not the right one (a wrong operator token).</summary>
    Unauthenticated,

    /// <summary>The named component cannot do what the call asks (a query of a state store that cannot query).</summary>
    Unimplemented,
}
