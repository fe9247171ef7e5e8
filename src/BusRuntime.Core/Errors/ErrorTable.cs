using System.Collections.Frozen;

namespace BusRuntime.Core.Errors;

/// <summary>
/// The one table of what every façade answers for each <see cref="ErrorCode"/>; the façades only look up
/// and cast. The Dapr columns are what Dapr itself answers (dapr/dapr pkg/api, pkg/messages), except where
/// a comment says why BusRuntime answers otherwise. The Layotto column is what Layotto answers where it documents
/// an answer (mosn/layotto pkg/grpc/default_api, pkg/messages: an unknown store of any kind is INVALID_ARGUMENT,
/// a stale etag ABORTED, an unsupported state operation UNIMPLEMENTED), otherwise the Dapr column.
/// </summary>
public static class ErrorTable
{
    private const int BadRequest = 400;
    private const int Unauthorized = 401;
    private const int Forbidden = 403;
    private const int NotFound = 404;
    private const int Conflict = 409;
    private const int InternalServerError = 500;

    private static readonly FrozenDictionary<ErrorCode, ErrorRow> Rows = new ErrorRow[]
    {
        //  kind                          busruntime.v1                        Dapr gRPC                            Layotto gRPC                         Dapr HTTP
        new(ErrorCode.InvalidArgument,    CanonicalCode.InvalidArgument,       CanonicalCode.InvalidArgument,       CanonicalCode.InvalidArgument,       BadRequest),

        // Dapr answers INTERNAL for a secret its store lacks (the component's error); NOT_FOUND says what happened.
        new(ErrorCode.NotFound,           CanonicalCode.NotFound,              CanonicalCode.NotFound,              CanonicalCode.NotFound,              NotFound),
        new(ErrorCode.ComponentNotFound,  CanonicalCode.NotFound,              CanonicalCode.InvalidArgument,       CanonicalCode.InvalidArgument,       BadRequest),
        new(ErrorCode.AlreadyExists,      CanonicalCode.AlreadyExists,         CanonicalCode.AlreadyExists,         CanonicalCode.AlreadyExists,         Conflict),

        // Dapr's "not configured" answers: FAILED_PRECONDITION, 500.
        new(ErrorCode.FailedPrecondition, CanonicalCode.FailedPrecondition,    CanonicalCode.FailedPrecondition,    CanonicalCode.FailedPrecondition,    InternalServerError),

        // An etag mismatch, as Dapr answers it on SaveState and DeleteState. Dapr answers INTERNAL (500) inside a
        // transaction, and for a store's conflict with concurrent transactions; BusRuntime answers every
        // "nothing was applied, read again and retry" alike, so the SDKs' TrySaveState returns false for all.
        new(ErrorCode.Aborted,            CanonicalCode.Aborted,               CanonicalCode.Aborted,               CanonicalCode.Aborted,               Conflict),

        // Dapr answers INTERNAL for every failure to invoke, publish or reach a store; BusRuntime keeps the precise
        // status on gRPC, which retry policies act on. Over HTTP these are Dapr's 500 with the operation's code.
        new(ErrorCode.ResourceExhausted,  CanonicalCode.ResourceExhausted,     CanonicalCode.ResourceExhausted,     CanonicalCode.ResourceExhausted,     InternalServerError),
        new(ErrorCode.Unavailable,        CanonicalCode.Unavailable,           CanonicalCode.Unavailable,           CanonicalCode.Unavailable,           InternalServerError),
        new(ErrorCode.DeadlineExceeded,   CanonicalCode.DeadlineExceeded,      CanonicalCode.DeadlineExceeded,      CanonicalCode.DeadlineExceeded,      InternalServerError),
        new(ErrorCode.Internal,           CanonicalCode.Internal,              CanonicalCode.Internal,              CanonicalCode.Internal,              InternalServerError),
        new(ErrorCode.PermissionDenied,   CanonicalCode.PermissionDenied,      CanonicalCode.PermissionDenied,      CanonicalCode.PermissionDenied,      Forbidden),
        new(ErrorCode.Unauthenticated,    CanonicalCode.Unauthenticated,       CanonicalCode.Unauthenticated,       CanonicalCode.Unauthenticated,       Unauthorized),

        // A query of a store that cannot query: Dapr answers INTERNAL, 500 (QueryUnsupported in dapr/dapr pkg/api/errors);
        // busruntime.v1 says what it is, as Layotto does for a state operation its store does not support.
        new(ErrorCode.Unimplemented,      CanonicalCode.Unimplemented,         CanonicalCode.Internal,              CanonicalCode.Unimplemented,         InternalServerError),
    }.ToFrozenDictionary(row => row.Kind);

    // The state routes answer an unknown store and a request that is not valid with Dapr's common codes.
    private static readonly FrozenDictionary<ErrorCode, DaprHttpError> StateAnswers = new Dictionary<ErrorCode, DaprHttpError>
    {
        [ErrorCode.ComponentNotFound] = new(BadRequest, DaprErrorCodes.StateStoreNotFound),
        [ErrorCode.InvalidArgument] = new(BadRequest, DaprErrorCodes.MalformedRequest),
    }.ToFrozenDictionary();

    // The lock routes answer an unknown store and a request that is not valid (an empty resource id or owner, an expiry
    // that is not positive) as Dapr's lockValidateRequest does.
    private static readonly FrozenDictionary<ErrorCode, DaprHttpError> LockAnswers = new Dictionary<ErrorCode, DaprHttpError>
    {
        [ErrorCode.ComponentNotFound] = new(BadRequest, DaprErrorCodes.LockStoreNotFound),
        [ErrorCode.InvalidArgument] = new(BadRequest, DaprErrorCodes.MalformedRequest),
    }.ToFrozenDictionary();

    // Per operation: the error code of its failures, and the kinds Dapr answers with a code (and status) of their own.
    private static readonly FrozenDictionary<ApiOperation, (string FailureCode, FrozenDictionary<ErrorCode, DaprHttpError> Answers)> Operations =
        new Dictionary<ApiOperation, (string, FrozenDictionary<ErrorCode, DaprHttpError>)>
        {
            [ApiOperation.StateGet] = (DaprErrorCodes.StateGet, StateAnswers),
            [ApiOperation.StateBulkGet] = (DaprErrorCodes.StateBulkGet, StateAnswers),
            [ApiOperation.StateSave] = (DaprErrorCodes.StateSave, StateAnswers),
            [ApiOperation.StateDelete] = (DaprErrorCodes.StateDelete, StateAnswers),

            // Dapr answers a stale etag in a transaction 500; BusRuntime 409, as on a save (see Aborted above).
            [ApiOperation.StateTransaction] = (DaprErrorCodes.StateTransaction, StateAnswers),

            // Dapr answers a query it cannot parse 500 ERR_STATE_QUERY; BusRuntime 400 with that code, as the caller
            // must change the query. A store that cannot query: ERR_STATE_STORE_NOT_SUPPORTED, 500, as Dapr.
            [ApiOperation.StateQuery] = (DaprErrorCodes.StateQuery, new Dictionary<ErrorCode, DaprHttpError>
            {
                [ErrorCode.ComponentNotFound] = new(BadRequest, DaprErrorCodes.StateStoreNotFound),
                [ErrorCode.InvalidArgument] = new(BadRequest, DaprErrorCodes.StateQuery),
                [ErrorCode.Unimplemented] = new(InternalServerError, DaprErrorCodes.StateStoreNotSupported),
            }.ToFrozenDictionary()),
            // A topic the component's scopes keep from the app: Dapr's PublishForbidden.
            [ApiOperation.Publish] = (DaprErrorCodes.PubSubPublishMessage, new Dictionary<ErrorCode, DaprHttpError>
            {
                [ErrorCode.ComponentNotFound] = new(NotFound, DaprErrorCodes.PubSubNotFound),
                [ErrorCode.PermissionDenied] = new(Forbidden, DaprErrorCodes.PubSubForbidden),
            }.ToFrozenDictionary()),
            [ApiOperation.Invoke] = (DaprErrorCodes.DirectInvoke, FrozenDictionary<ErrorCode, DaprHttpError>.Empty),
            [ApiOperation.Metadata] = (DaprErrorCodes.Internal, new Dictionary<ErrorCode, DaprHttpError>
            {
                [ErrorCode.InvalidArgument] = new(BadRequest, DaprErrorCodes.BadRequest),
            }.ToFrozenDictionary()),

            // Dapr answers an unknown secret store 401 (ErrSecretStoreNotFound in pkg/messages), and a secret its store
            // lacks 500 ERR_SECRET_GET; BusRuntime 404 with that code (NotFound above).
            [ApiOperation.SecretGet] = (DaprErrorCodes.SecretGet, new Dictionary<ErrorCode, DaprHttpError>
            {
                [ErrorCode.ComponentNotFound] = new(Unauthorized, DaprErrorCodes.SecretStoreNotFound),
                [ErrorCode.PermissionDenied] = new(Forbidden, DaprErrorCodes.SecretPermissionDenied),
            }.ToFrozenDictionary()),
            [ApiOperation.ConfigurationGet] = (DaprErrorCodes.ConfigurationGet, new Dictionary<ErrorCode, DaprHttpError>
            {
                [ErrorCode.ComponentNotFound] = new(BadRequest, DaprErrorCodes.ConfigurationStoreNotFound),
            }.ToFrozenDictionary()),
            [ApiOperation.TryLock] = (DaprErrorCodes.TryLock, LockAnswers),
            [ApiOperation.Unlock] = (DaprErrorCodes.Unlock, LockAnswers),

            // Dapr answers every failure of an output binding, an unknown one too, 500 ERR_INVOKE_OUTPUT_BINDING;
            // BusRuntime keeps the kind's status for a request that is not valid (400), which the caller must change.
            [ApiOperation.InvokeBinding] = (DaprErrorCodes.InvokeOutputBinding, new Dictionary<ErrorCode, DaprHttpError>
            {
                [ErrorCode.ComponentNotFound] = new(InternalServerError, DaprErrorCodes.InvokeOutputBinding),
            }.ToFrozenDictionary()),

            // The jobs routes answer as daprd's: the kind's status with the operation's code (DAPR_SCHEDULER_*). Dapr answers
            // a job that does not exist 500 DAPR_SCHEDULER_GET_JOB ("job not found"); BusRuntime 404 with that code.
            [ApiOperation.JobSchedule] = (DaprErrorCodes.SchedulerScheduleJob, FrozenDictionary<ErrorCode, DaprHttpError>.Empty),
            [ApiOperation.JobGet] = (DaprErrorCodes.SchedulerGetJob, FrozenDictionary<ErrorCode, DaprHttpError>.Empty),
            [ApiOperation.JobDelete] = (DaprErrorCodes.SchedulerDeleteJob, FrozenDictionary<ErrorCode, DaprHttpError>.Empty),
        }.ToFrozenDictionary();

    /// <summary>Every kind's row, in the order of <see cref="ErrorCode"/>.</summary>
    public static IReadOnlyList<ErrorRow> All { get; } = [.. Rows.Values.OrderBy(row => row.Kind)];

    /// <summary>The answers to <paramref name="kind"/>.</summary>
    public static ErrorRow Of(ErrorCode kind) =>
        Rows.TryGetValue(kind, out var row) ? row : throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a kind of ErrorCode.");

    /// <summary>
    /// Dapr's HTTP answer when <paramref name="operation"/> failed with <paramref name="kind"/>: the kind's own
    /// answer where Dapr gives it one on that operation, otherwise the kind's status with the operation's code.
    /// </summary>
    public static DaprHttpError DaprHttp(ErrorCode kind, ApiOperation operation)
    {
        var row = Of(kind);
        if (!Operations.TryGetValue(operation, out var answers))
        {
            throw new ArgumentOutOfRangeException(nameof(operation), operation, "not an ApiOperation.");
        }

        return answers.Answers.TryGetValue(kind, out var own) ? own : new DaprHttpError(row.DaprHttpStatus, answers.FailureCode);
    }
}
