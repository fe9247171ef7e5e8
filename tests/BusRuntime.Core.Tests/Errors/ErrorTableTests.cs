using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Tests.Errors;

public sealed class ErrorTableTests
{
    public static TheoryData<ErrorCode> Kinds() => [.. Enum.GetValues<ErrorCode>()];

    public static TheoryData<ErrorCode, ApiOperation> KindsAndOperations()
    {
        var data = new TheoryData<ErrorCode, ApiOperation>();
        foreach (var kind in Enum.GetValues<ErrorCode>())
        {
            foreach (var operation in Enum.GetValues<ApiOperation>())
            {
                data.Add(kind, operation);
            }
        }

        return data;
    }

    [Fact]
    public void All_EveryKind_HasOneRowInTheEnumsOrder() =>
        Assert.Equal(Enum.GetValues<ErrorCode>(), ErrorTable.All.Select(row => row.Kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Of_EveryKind_FillsEveryColumnWithAnError(ErrorCode kind)
    {
        var row = ErrorTable.Of(kind);

        Assert.Equal(kind, row.Kind);
        Assert.True(Enum.IsDefined(row.BusRuntimeGrpc) && row.BusRuntimeGrpc is not (CanonicalCode.Ok or CanonicalCode.Unknown), $"busruntime.v1: {row.BusRuntimeGrpc}");
        Assert.True(Enum.IsDefined(row.DaprGrpc) && row.DaprGrpc is not (CanonicalCode.Ok or CanonicalCode.Unknown), $"Dapr gRPC: {row.DaprGrpc}");
        Assert.True(Enum.IsDefined(row.LayottoGrpc) && row.LayottoGrpc is not (CanonicalCode.Ok or CanonicalCode.Unknown), $"Layotto gRPC: {row.LayottoGrpc}");
        Assert.InRange(row.DaprHttpStatus, 400, 599);
    }

    [Theory]
    [MemberData(nameof(KindsAndOperations))]
    public void DaprHttp_EveryKindAndOperation_IsAnErrorStatusWithADaprErrorCode(ErrorCode kind, ApiOperation operation)
    {
        var answer = ErrorTable.DaprHttp(kind, operation);

        Assert.InRange(answer.Status, 400, 599);
        // The jobs API's codes are daprd's newer kind (DAPR_SCHEDULER_SCHEDULE_JOB, pkg/messages/errorcodes).
        Assert.Matches("^(ERR|DAPR)_[A-Z_]+$", answer.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Of_BusRuntimeGrpc_IsTheKindsOwnCodeButForComponentNotFound(ErrorCode kind)
    {
        var expected = kind == ErrorCode.ComponentNotFound ? CanonicalCode.NotFound : Enum.Parse<CanonicalCode>(kind.ToString());

        Assert.Equal(expected, ErrorTable.Of(kind).BusRuntimeGrpc);
    }

    // dapr/dapr pkg/api/errors (StateStore.NotFound, PubSub.NotFound), pkg/messages/predefined.go
    // (ErrLockStoreNotFound, ErrSecretStoreNotFound, ErrBadRequest, ErrSecretPermissionDenied) and
    // pkg/api/grpc getStateErrorCode (an etag mismatch is ABORTED).
    [Theory]
    [InlineData(ErrorCode.ComponentNotFound, CanonicalCode.InvalidArgument)]
    [InlineData(ErrorCode.InvalidArgument, CanonicalCode.InvalidArgument)]
    [InlineData(ErrorCode.Aborted, CanonicalCode.Aborted)]
    [InlineData(ErrorCode.PermissionDenied, CanonicalCode.PermissionDenied)]
    [InlineData(ErrorCode.Internal, CanonicalCode.Internal)]
    [InlineData(ErrorCode.Unimplemented, CanonicalCode.Internal)] // StateStore.QueryUnsupported
    public void Of_DaprGrpc_IsWhatDaprAnswers(ErrorCode kind, CanonicalCode expected) =>
        Assert.Equal(expected, ErrorTable.Of(kind).DaprGrpc);

    // mosn/layotto pkg/grpc/default_api (api_lock.go ErrLockStoreNotFound, api_sequencer.go ErrSequencerStoreNotFound,
    // api_file.go "not support store type", api_errors.go file.ErrNotExist/ErrExist/ErrPermission) and
    // pkg/grpc/dapr/dapr_api_state.go (ErrStateStoreNotFound, an etag mismatch ABORTED, ErrNotSupportedStateOperation).
    [Theory]
    [InlineData(ErrorCode.ComponentNotFound, CanonicalCode.InvalidArgument)]
    [InlineData(ErrorCode.InvalidArgument, CanonicalCode.InvalidArgument)]
    [InlineData(ErrorCode.NotFound, CanonicalCode.NotFound)]
    [InlineData(ErrorCode.AlreadyExists, CanonicalCode.AlreadyExists)]
    [InlineData(ErrorCode.PermissionDenied, CanonicalCode.PermissionDenied)]
    [InlineData(ErrorCode.Aborted, CanonicalCode.Aborted)]
    [InlineData(ErrorCode.FailedPrecondition, CanonicalCode.FailedPrecondition)]
    [InlineData(ErrorCode.Unimplemented, CanonicalCode.Unimplemented)]
    public void Of_LayottoGrpc_IsWhatLayottoAnswers(ErrorCode kind, CanonicalCode expected) =>
        Assert.Equal(expected, ErrorTable.Of(kind).LayottoGrpc);

    // dapr/dapr pkg/api/http: getStateStoreWithRequestValidation, stateErrorResponse/etagError, onPublish,
    // validateAndGetPubsubAndTopic; pkg/api/errors PubSub.PublishForbidden; pkg/messages/predefined.go ErrDirectInvoke, the
    // secret and lock errors; getConfigurationStoreWithRequestValidation, onGetConfiguration, onOutputBindingMessage
    // (a call the target's access control denied keeps its 403: pkg/api/http/directmessaging.go).
    [Theory]
    [InlineData(ErrorCode.ComponentNotFound, ApiOperation.StateGet, 400, "ERR_STATE_STORE_NOT_FOUND")]
    [InlineData(ErrorCode.ComponentNotFound, ApiOperation.StateTransaction, 400, "ERR_STATE_STORE_NOT_FOUND")]
    [InlineData(ErrorCode.InvalidArgument, ApiOperation.StateSave, 400, "ERR_MALFORMED_REQUEST")]
    [InlineData(ErrorCode.Aborted, ApiOperation.StateSave, 409, "ERR_STATE_SAVE")]
    [InlineData(ErrorCode.Aborted, ApiOperation.StateDelete, 409, "ERR_STATE_DELETE")]
    [InlineData(ErrorCode.Unavailable, ApiOperation.StateGet, 500, "ERR_STATE_GET")]
    [InlineData(ErrorCode.Internal, ApiOperation.StateBulkGet, 500, "ERR_STATE_BULK_GET")]
    [InlineData(ErrorCode.ComponentNotFound, ApiOperation.Publish, 404, "ERR_PUBSUB_NOT_FOUND")]
    [InlineData(ErrorCode.Unavailable, ApiOperation.Publish, 500, "ERR_PUBSUB_PUBLISH_MESSAGE")]
    [InlineData(ErrorCode.InvalidArgument, ApiOperation.Publish, 400, "ERR_PUBSUB_PUBLISH_MESSAGE")]
    [InlineData(ErrorCode.PermissionDenied, ApiOperation.Publish, 403, "ERR_PUBSUB_FORBIDDEN")]
    [InlineData(ErrorCode.Unavailable, ApiOperation.Invoke, 500, "ERR_DIRECT_INVOKE")]
    [InlineData(ErrorCode.PermissionDenied, ApiOperation.Invoke, 403, "ERR_DIRECT_INVOKE")]
    [InlineData(ErrorCode.DeadlineExceeded, ApiOperation.Invoke, 500, "ERR_DIRECT_INVOKE")]
    [InlineData(ErrorCode.InvalidArgument, ApiOperation.Metadata, 400, "ERR_BAD_REQUEST")]
    [InlineData(ErrorCode.Internal, ApiOperation.Metadata, 500, "ERR_INTERNAL")]
    [InlineData(ErrorCode.Unimplemented, ApiOperation.StateQuery, 500, "ERR_STATE_STORE_NOT_SUPPORTED")]
    [InlineData(ErrorCode.ComponentNotFound, ApiOperation.StateQuery, 400, "ERR_STATE_STORE_NOT_FOUND")]
    [InlineData(ErrorCode.Internal, ApiOperation.StateQuery, 500, "ERR_STATE_QUERY")]
    [InlineData(ErrorCode.ComponentNotFound, ApiOperation.SecretGet, 401, "ERR_SECRET_STORE_NOT_FOUND")] // ErrSecretStoreNotFound
    [InlineData(ErrorCode.PermissionDenied, ApiOperation.SecretGet, 403, "ERR_PERMISSION_DENIED")]
    [InlineData(ErrorCode.Internal, ApiOperation.SecretGet, 500, "ERR_SECRET_GET")]
    [InlineData(ErrorCode.ComponentNotFound, ApiOperation.ConfigurationGet, 400, "ERR_CONFIGURATION_STORE_NOT_FOUND")]
    [InlineData(ErrorCode.Unavailable, ApiOperation.ConfigurationGet, 500, "ERR_CONFIGURATION_GET")]
    [InlineData(ErrorCode.ComponentNotFound, ApiOperation.TryLock, 400, "ERR_LOCK_STORE_NOT_FOUND")]
    [InlineData(ErrorCode.InvalidArgument, ApiOperation.Unlock, 400, "ERR_MALFORMED_REQUEST")]
    [InlineData(ErrorCode.Internal, ApiOperation.TryLock, 500, "ERR_TRY_LOCK")]
    [InlineData(ErrorCode.Unavailable, ApiOperation.Unlock, 500, "ERR_UNLOCK")]
    [InlineData(ErrorCode.ComponentNotFound, ApiOperation.InvokeBinding, 500, "ERR_INVOKE_OUTPUT_BINDING")]
    [InlineData(ErrorCode.Unavailable, ApiOperation.InvokeBinding, 500, "ERR_INVOKE_OUTPUT_BINDING")]
    [InlineData(ErrorCode.InvalidArgument, ApiOperation.JobSchedule, 400, "DAPR_SCHEDULER_SCHEDULE_JOB")] // SchedulerScheduleJob: the scheduler's code
    [InlineData(ErrorCode.AlreadyExists, ApiOperation.JobSchedule, 409, "DAPR_SCHEDULER_SCHEDULE_JOB")]
    [InlineData(ErrorCode.NotFound, ApiOperation.JobGet, 404, "DAPR_SCHEDULER_GET_JOB")]
    [InlineData(ErrorCode.Unavailable, ApiOperation.JobDelete, 500, "DAPR_SCHEDULER_DELETE_JOB")]
    public void DaprHttp_DocumentedAnswers_AreDaprs(ErrorCode kind, ApiOperation operation, int status, string errorCode) =>
        Assert.Equal(new DaprHttpError(status, errorCode), ErrorTable.DaprHttp(kind, operation));

    [Fact]
    public void Of_NotAKind_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ErrorTable.Of((ErrorCode)99));

        Assert.Equal("kind", error.ParamName);
    }

    [Fact]
    public void DaprHttp_NotAnOperation_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ErrorTable.DaprHttp(ErrorCode.Internal, (ApiOperation)99));

        Assert.Equal("operation", error.ParamName);
    }
}
