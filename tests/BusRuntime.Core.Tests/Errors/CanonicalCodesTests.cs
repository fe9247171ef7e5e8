using System.Text.RegularExpressions;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Tests.Errors;

public sealed class CanonicalCodesTests
{
    public static TheoryData<CanonicalCode> Codes() => [.. Enum.GetValues<CanonicalCode>()];

    [Theory]
    [MemberData(nameof(Codes))]
    public void Name_EveryCode_IsItsEnumNameInUpperSnakeCase(CanonicalCode code) =>
        Assert.Equal(Regex.Replace(code.ToString(), "(?<=[a-z])(?=[A-Z])", "_").ToUpperInvariant(), CanonicalCodes.Name(code));

    [Theory]
    [InlineData(14, "UNAVAILABLE")]
    [InlineData(2, "UNKNOWN")]
    [InlineData(17, "UNKNOWN")]
    [InlineData(-1, "UNKNOWN")]
    public void Name_Number_IsTheCodesNameOrUnknown(int code, string expected) =>
        Assert.Equal(expected, CanonicalCodes.Name(code));

    // dapr/dapr pkg/messaging/v1/util.go HTTPStatusFromCode.
    [Theory]
    [InlineData(CanonicalCode.Ok, 200)]
    [InlineData(CanonicalCode.Cancelled, 408)]
    [InlineData(CanonicalCode.InvalidArgument, 400)]
    [InlineData(CanonicalCode.DeadlineExceeded, 504)]
    [InlineData(CanonicalCode.NotFound, 404)]
    [InlineData(CanonicalCode.PermissionDenied, 403)]
    [InlineData(CanonicalCode.ResourceExhausted, 429)]
    [InlineData(CanonicalCode.FailedPrecondition, 400)]
    [InlineData(CanonicalCode.Aborted, 409)]
    [InlineData(CanonicalCode.Unimplemented, 501)]
    [InlineData(CanonicalCode.Unavailable, 503)]
    [InlineData(CanonicalCode.DataLoss, 500)]
    [InlineData(CanonicalCode.Unauthenticated, 401)]
    [InlineData((CanonicalCode)42, 500)]
    public void DaprHttpStatus_AppStatus_IsDaprsTranslation(CanonicalCode code, int expected) =>
        Assert.Equal(expected, CanonicalCodes.DaprHttpStatus((int)code));
}
