using BusRuntime.Core.PubSub;

namespace BusRuntime.Core.Tests.PubSub;

public sealed class EventExpiryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-12-07T09:59:59Z", true)]
    [InlineData("2026-12-07T10:00:01Z", false)]
    [InlineData("2026-12-07T11:59:59+02:00", true)]
    [InlineData("tomorrow", false)]
    [InlineData("", false)]
    public void HasExpired_Expiration_TrueOnlyWhenItParsesAndPassed(string expiration, bool expired) =>
        Assert.Equal(expired, EventExpiry.HasExpired(new Dictionary<string, string> { ["expiration"] = expiration }, Now));

    [Fact]
    public void HasExpired_NoExpiration_False() =>
        Assert.False(EventExpiry.HasExpired(new Dictionary<string, string> { ["tenant"] = "acme" }, Now));

    [Fact]
    public void Format_TtlFromNow_Rfc3339InUtc() =>
        Assert.Equal("2026-12-07T10:01:30Z", EventExpiry.Format(Now.ToOffset(TimeSpan.FromHours(2)), TimeSpan.FromSeconds(90)));
}
