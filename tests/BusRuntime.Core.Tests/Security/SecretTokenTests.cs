using BusRuntime.Core.Security;

namespace BusRuntime.Core.Tests.Security;

public sealed class SecretTokenTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void From_NothingConfigured_IsNoToken(string? configured) => Assert.Null(SecretToken.From(configured));

    [Theory]
    [InlineData("s3cret", true)]
    [InlineData("s3cre", false)]
    [InlineData("s3cret-and-more", false)]
    [InlineData("S3CRET", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Matches_OnlyTheTokenItself(string? presented, bool matches) =>
        Assert.Equal(matches, SecretToken.From("s3cret")!.Matches(presented));
}
