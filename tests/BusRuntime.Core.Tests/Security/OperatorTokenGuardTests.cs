using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Security;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Tests.Security;

public sealed class OperatorTokenGuardTests
{
    private static OperatorTokenGuard Guard(string? token) =>
        new(Options.Create(new RuntimeOptions { AppId = "billing", OperatorToken = token }));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void ViewFor_NoToken_IsTheSidecarsAppOnly(string? presented)
    {
        var view = Guard("op-s3cret").ViewFor(presented);

        Assert.False(view.IsDeployment);
        Assert.Equal("billing", view.AppId);
        Assert.True(view.Includes("billing"));
        Assert.False(view.Includes("shop"));
    }

    [Fact]
    public void ViewFor_TheOperatorToken_IsTheDeployment()
    {
        var view = Guard("op-s3cret").ViewFor("op-s3cret");

        Assert.True(view.IsDeployment);
        Assert.True(view.Includes("shop"));
    }

    [Theory]
    [InlineData("op-s3cre")]
    [InlineData("op-s3cret ")]
    [InlineData("OP-S3CRET")]
    [InlineData("something else entirely")]
    public void ViewFor_WrongToken_IsUnauthenticatedNotTheAppsView(string presented)
    {
        var exception = Assert.Throws<RuntimeException>(() => Guard("op-s3cret").ViewFor(presented));

        Assert.Equal(ErrorCode.Unauthenticated, exception.Code);
        Assert.Equal(
            "the busruntime-operator-token header is not this sidecar's operator token (BusRuntime:OperatorToken, BUSRUNTIME_OPERATOR_TOKEN); leave it out to see app 'billing' only.",
            exception.Message);
    }

    [Fact]
    public void ViewFor_TokenWhereNoneIsConfigured_IsUnauthenticated()
    {
        var exception = Assert.Throws<RuntimeException>(() => Guard(null).ViewFor("guess"));

        Assert.Equal(ErrorCode.Unauthenticated, exception.Code);
        Assert.Contains("this sidecar has no operator token (BusRuntime:OperatorToken, BUSRUNTIME_OPERATOR_TOKEN)", exception.Message, StringComparison.Ordinal);
    }
}
