using BusRuntime.Core.Invoke.AccessControl;

namespace BusRuntime.Core.Tests.Invoke.AccessControl;

/// <summary>Operation names as Dapr matches them (dapr/dapr pkg/config acl_trie_test, pkg/acl acl_test, the docs' scenarios).</summary>
public sealed class OperationPatternTests
{
    [Theory]
    [InlineData("/op1", "/op1", true)]
    [InlineData("op1", "op1", true)]
    [InlineData("/op1", "op1", true)]
    [InlineData("/op1", "/op2", false)]
    [InlineData("/op1", "/op1/a", false)]
    [InlineData("/op3/a/*", "/op3/a", true)]
    [InlineData("/op3/a/*", "/op3/a/b", true)]
    [InlineData("/op3/a/*", "/op3/b/b", false)]
    [InlineData("/op7/a/b/*", "/op7/a/b/c", true)]
    [InlineData("/op7/a/b/*", "/op7/a/b/c/d", false)]
    [InlineData("/op7/a/b*", "/op7/a/bc", true)]
    [InlineData("/op7/a/b*", "/op7/a/b", true)]
    [InlineData("/op7/a/b*", "/op7/a/cb", false)]
    [InlineData("/op7/c/**", "/op7/c/d/e", true)]
    [InlineData("/op7/c/**", "/op7/c", true)]
    [InlineData("/op7/c/**", "/op7/d/e", false)]
    [InlineData("/op1/**/a", "/op1/x/a", true)]
    [InlineData("/op1/**/a", "/op1/x/y/z/a", true)]
    [InlineData("/op1/**/a", "/op1/a", true)]
    [InlineData("/op1/**/a", "/op1/x/b", false)]
    [InlineData("/op1/*/a", "/op1/x/a", true)]
    [InlineData("/op1/*/a", "/op1/x/y/a", false)]
    [InlineData("/A*", "/ABC", true)]
    [InlineData("/A*", "/ABC.a", true)]
    [InlineData("/*C", "/ABC", true)]
    [InlineData("/*a", "/ABC.a", true)]
    [InlineData("/a*d", "/abcd", true)]
    [InlineData("/AB*.a", "/ABC.a", true)]
    [InlineData("/a*b*c", "/a-x-b-y-c", true)]
    [InlineData("/a*b*c", "/a-x-c-y-b", false)]
    [InlineData("/**", "/anything/at/all", true)]
    public void Matches_CaseSensitively_AsDapr(string name, string method, bool matches) =>
        Assert.Equal(matches, new OperationPattern(name).Matches(method, ignoreCase: false));

    [Theory]
    [InlineData("/Op2", "/op2", false, false)]
    [InlineData("/Op2", "/op2", true, true)]
    [InlineData("/orders/*", "/ORDERS/7", true, true)]
    public void Matches_IgnoreCase_OnlyWhenAsked(string name, string method, bool ignoreCase, bool matches) =>
        Assert.Equal(matches, new OperationPattern(name).Matches(method, ignoreCase));

    [Fact]
    public void Matches_ManyWildcardsAndALongMethod_EndsAtOnce()
    {
        var pattern = new OperationPattern("/**/**/**/a*a*a*a*a*a*b/**/**");
        var method = "/" + string.Join('/', Enumerable.Repeat(new string('a', 200), 200));

        Assert.False(pattern.Matches(method, ignoreCase: false));
    }
}
