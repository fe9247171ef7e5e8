using BusRuntime.Core.Invoke;

namespace BusRuntime.Core.Tests.Invoke;

/// <summary>The cases of dapr/dapr pkg/messaging/method TestNormalizeMethod, and a few of path cleaning.</summary>
public sealed class InvokeMethodTests
{
    [Theory]
    [InlineData("mymethod", "mymethod")]
    [InlineData("api/v1/users", "api/v1/users")]
    [InlineData("/api/v1/users", "/api/v1/users")]
    [InlineData("admin/../public", "public")]
    [InlineData("public/../admin", "admin")]
    [InlineData("/public/../../admin", "/admin")]
    [InlineData("../../etc/passwd", "etc/passwd")]
    [InlineData("a//b/./c/", "a/b/c")]
    [InlineData("test%stream", "test%stream")]
    [InlineData("test%25stream", "test%25stream")]
    [InlineData("test\"stream", "test\"stream")]
    [InlineData("test*stream", "test*stream")]
    [InlineData("test\\stream", "test\\stream")]
    [InlineData("..", "")]
    [InlineData(".", "")]
    [InlineData("/", "/")]
    public void Normalize_Method_IsCleanedAsDaprCleansIt(string method, string cleaned)
    {
        Assert.Equal(cleaned, InvokeMethod.Normalize(method, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("test#stream", "method contains '#' at position 4; a method is a path without query or fragment.")]
    [InlineData("test?stream", "method contains '?' at position 4; a method is a path without query or fragment.")]
    [InlineData("test\0stream", "method contains '\\0' at position 4; a method is a path without query or fragment.")]
    [InlineData("test\u0001stream", "method contains a control character at position 4.")]
    [InlineData("te\tst\nstream", "method contains a control character at position 2.")]
    [InlineData("test\rstream", "method contains a control character at position 4.")]
    [InlineData("test\u007fstream", "method contains a control character at position 4.")]
    public void Normalize_ForbiddenCharacter_IsRefusedSayingWhere(string method, string expected)
    {
        Assert.Null(InvokeMethod.Normalize(method, out var problem));
        Assert.Equal(expected, problem);
    }
}
