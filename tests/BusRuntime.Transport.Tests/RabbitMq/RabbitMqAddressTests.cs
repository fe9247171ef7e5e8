using BusRuntime.Transport.RabbitMq;

namespace BusRuntime.Transport.Tests.RabbitMq;

public sealed class RabbitMqAddressTests
{
    [Fact]
    public void Parse_FullAddress_ReadsEveryPart()
    {
        var address = RabbitMqAddress.Parse("amqp://app%40x:s3cr%3At@broker.local:5673/prod%2Fa");

        Assert.Equal(new RabbitMqAddress("broker.local", 5673, "prod/a", "app@x", "s3cr:t"), address);
    }

    [Fact]
    public void Parse_HostOnly_UsesRabbitMqDefaults()
    {
        Assert.Equal(new RabbitMqAddress("127.0.0.1", 5672, "/", "guest", "guest"), RabbitMqAddress.Parse("amqp://127.0.0.1"));
    }

    [Theory]
    [InlineData("localhost:5672")]
    [InlineData("http://guest:guest@127.0.0.1:5672/")]
    [InlineData("")]
    public void Parse_NotAnAmqpAddress_FailsNamingTheKeyAndTheForm(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => RabbitMqAddress.Parse(value));

        Assert.StartsWith("BusRuntime:RabbitMq '", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("is not an address of the form amqp://user:password@host:port/vhost.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadAddressWithPassword_DoesNotRepeatThePassword()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RabbitMqAddress.Parse("amqps://user:hunter2@host/"));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Contains("user:***@host", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NeverShowsThePassword()
    {
        Assert.Equal("amqp://guest@127.0.0.1:5672/", RabbitMqAddress.Parse("amqp://guest:guest@127.0.0.1:5672/").ToString());
    }
}
