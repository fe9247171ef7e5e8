using System.Net;
using BusRuntime.Core.Configuration;
using BusRuntime.Stores.Redis;
using StackExchange.Redis;

namespace BusRuntime.Stores.Tests;

public sealed class RedisSettingsTests
{
    private static ComponentOptions Component(Dictionary<string, string> metadata) =>
        new() { Name = "cache", Type = ComponentTypes.StateRedis, Metadata = new(metadata, StringComparer.OrdinalIgnoreCase) };

    [Fact]
    public void ToConfigurationOptions_DaprsMetadata_ConnectsAsItSaysAndFailsFastWhileDisconnected()
    {
        var settings = RedisSettings.For(Component(new()
        {
            ["redisHost"] = "redis.internal:6380", ["redisUsername"] = "orders", ["redisPassword"] = "s3cret", ["enableTLS"] = "true", ["redisDB"] = "2",
        }));

        var options = settings.ToConfigurationOptions();

        var endpoint = Assert.IsType<DnsEndPoint>(Assert.Single(options.EndPoints));
        Assert.Equal(("redis.internal", 6380), (endpoint.Host, endpoint.Port));
        Assert.Equal(("orders", "s3cret", true, "redis.internal", 2), (options.User, options.Password, options.Ssl, options.SslHost, options.DefaultDatabase));
        Assert.False(options.AbortOnConnectFail);
        Assert.Same(BacklogPolicy.FailFast, options.BacklogPolicy);
        Assert.Equal("redis.internal:6380/2", settings.Server);
    }

    [Fact]
    public void For_HostOnly_UsesPort6379DatabaseZeroAndNoTls()
    {
        var settings = RedisSettings.For(Component(new() { ["redisHost"] = "127.0.0.1" }));

        Assert.Equal(("127.0.0.1", 6379, 0, false), (settings.Host, settings.Port, settings.Database, settings.Tls));
        Assert.Equal("127.0.0.1:6379/0", settings.Server);
    }

    [Fact]
    public void For_MalformedHost_ThrowsNamingTheComponentsKey()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RedisSettings.For(Component(new() { ["redisHost"] = "127.0.0.1:99999", ["redisPassword"] = "s3cret" })));

        Assert.StartsWith("BusRuntime:Components[cache]:Metadata:redisHost '127.0.0.1:99999' is not host:port:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }
}
