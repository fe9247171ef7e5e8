namespace BusRuntime.Core.Errors;

/// <summary>
/// What each canonical status code is called and what Dapr's HTTP API makes of it. A number outside the
/// canonical ones (an app may answer anything) is UNKNOWN.
/// </summary>
public static class CanonicalCodes
{
    // By number. The HTTP statuses are Dapr's translation of an invoked app's status (invokev1.HTTPStatusFromCode).
    private static readonly (string Name, int DaprHttpStatus)[] Rows =
    [
        ("OK", 200),
        ("CANCELLED", 408),
        ("UNKNOWN", 500),
        ("INVALID_ARGUMENT", 400),
        ("DEADLINE_EXCEEDED", 504),
        ("NOT_FOUND", 404),
        ("ALREADY_EXISTS", 409),
        ("PERMISSION_DENIED", 403),
        ("RESOURCE_EXHAUSTED", 429),
        ("FAILED_PRECONDITION", 400), // not 412, on purpose in Dapr
        ("ABORTED", 409),
        ("OUT_OF_RANGE", 400),
        ("UNIMPLEMENTED", 501),
        ("INTERNAL", 500),
        ("UNAVAILABLE", 503),
        ("DATA_LOSS", 500),
        ("UNAUTHENTICATED", 401),
    ];

    /// <summary>The code's name as gRPC spells it, e.g. "UNAVAILABLE".</summary>
    public static string Name(CanonicalCode code) => Name((int)code);

    /// <inheritdoc cref="Name(CanonicalCode)"/>
    public static string Name(int code) => RowOf(code).Name;

    /// <summary>The HTTP status Dapr's HTTP API answers when an invoked app answered <paramref name="code"/>.</summary>
    public static int DaprHttpStatus(int code) => RowOf(code).DaprHttpStatus;

    private static (string Name, int DaprHttpStatus) RowOf(int code) =>
        code >= 0 && code < Rows.Length ? Rows[code] : Rows[(int)CanonicalCode.Unknown];
}
