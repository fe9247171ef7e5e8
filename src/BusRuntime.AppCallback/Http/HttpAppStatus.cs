using BusRuntime.Core.Errors;

namespace BusRuntime.AppCallback.Http;

/// <summary>An HTTP app's status as a gRPC caller sees it, as daprd maps it (messaging/v1 CodeFromHTTPStatus).</summary>
public static class HttpAppStatus
{
    public static CanonicalCode ToCanonical(int httpStatus) => httpStatus switch
    {
        >= 200 and < 300 => CanonicalCode.Ok,
        408 => CanonicalCode.Cancelled,
        500 => CanonicalCode.Unknown,
        400 => CanonicalCode.Internal,
        504 => CanonicalCode.DeadlineExceeded,
        404 => CanonicalCode.NotFound,
        409 => CanonicalCode.AlreadyExists,
        403 => CanonicalCode.PermissionDenied,
        401 => CanonicalCode.Unauthenticated,
        429 => CanonicalCode.ResourceExhausted,
        501 => CanonicalCode.Unimplemented,
        503 => CanonicalCode.Unavailable,
        _ => CanonicalCode.Unknown,
    };
}
