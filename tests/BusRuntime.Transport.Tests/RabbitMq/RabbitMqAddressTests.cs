using BusRuntime.Transport.RabbitMq;
using RabbitMQ.Client;

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

    [Fact]
    public void Parse_Amqps_IsTlsOnPort5671()
    {
        Assert.Equal(new RabbitMqAddress("broker.example", 5671, "/", "guest", "guest", Tls: true), RabbitMqAddress.Parse("amqps://broker.example"));
    }

    [Fact]
    public void Parse_AmqpsWithPort_KeepsThePort()
    {
        Assert.Equal(new RabbitMqAddress("127.0.0.1", 5999, "orders", "app", "pw", Tls: true), RabbitMqAddress.Parse("amqps://app:pw@127.0.0.1:5999/orders"));
    }

    [Theory]
    [InlineData("amqp://h", "/")]
    [InlineData("amqp://h/", "/")]
    [InlineData("amqp://h/%2F", "/")]
    [InlineData("amqp://h/%2f", "/")]
    [InlineData("amqp://h/%2Fprod", "/prod")]
    [InlineData("amqp://h/prod%2Fa", "prod/a")]
    [InlineData("amqp://h/my%20vhost", "my vhost")]
    [InlineData("amqp://h/a+b", "a+b")]
    public void Parse_VirtualHost_IsThePercentDecodedPathSegment(string value, string virtualHost)
    {
        Assert.Equal(virtualHost, RabbitMqAddress.Parse(value).VirtualHost);
    }

    [Theory]
    [InlineData("amqp://user@h", "user", "guest")]
    [InlineData("amqp://user:@h", "user", "")]
    [InlineData("amqp://us%3Aer:p%40ss%2Fw%25rd@h", "us:er", "p@ss/w%rd")]
    [InlineData("amqp://u:p+q@h", "u", "p+q")]
    public void Parse_UserInfo_IsPercentDecoded(string value, string username, string password)
    {
        var address = RabbitMqAddress.Parse(value);

        Assert.Equal((username, password), (address.Username, address.Password));
    }

    [Fact]
    public void Parse_SchemeInCapitals_IsAccepted()
    {
        Assert.True(RabbitMqAddress.Parse("AMQPS://Broker.Example/").Tls);
    }

    [Fact]
    public void Parse_Ipv6Host_IsTheAddressWithoutBrackets()
    {
        var address = RabbitMqAddress.Parse("amqps://[::1]:5671/");

        Assert.Equal("::1", address.Host);
        Assert.Equal("amqps://guest@[::1]:5671/", address.ToString());
    }

    /// <summary>Every address RabbitMQ.Client takes as ConnectionFactory.Uri means the same broker here.</summary>
    [Theory]
    [InlineData("amqp://127.0.0.1")]
    [InlineData("amqp://guest:guest@127.0.0.1:5672/")]
    [InlineData("amqps://broker.example")]
    [InlineData("amqps://app:pw@broker.example:5999/orders")]
    [InlineData("amqp://app%40x:s3cr%3At@broker.local:5673/prod%2Fa")]
    [InlineData("amqp://h/%2F")]
    [InlineData("amqp://user@h/v")]
    [InlineData("amqp://u:p+q@h/a+b")]
    [InlineData("AMQPS://Broker.Example/")]
    public void Parse_AddressRabbitMqClientTakes_MeansWhatItMeansThere(string value)
    {
        var factory = new ConnectionFactory { Uri = new Uri(value) };

        var address = RabbitMqAddress.Parse(value);

        Assert.Equal(
            (factory.HostName, factory.Endpoint.Port, factory.VirtualHost, factory.UserName, factory.Password, factory.Ssl.Enabled),
            (address.Host, address.Port, address.VirtualHost, address.Username, address.Password, address.Tls));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5672/", "has the scheme 'http'; use amqp:// (plain, port 5672) or amqps:// (TLS, port 5671).")]
    [InlineData("rabbitmq://127.0.0.1/", "has the scheme 'rabbitmq'; use amqp:// (plain, port 5672) or amqps:// (TLS, port 5671).")]
    [InlineData("localhost:5672", "has the scheme 'localhost'; use amqp:// (plain, port 5672) or amqps:// (TLS, port 5671).")]
    [InlineData("localhost", "is not an address of the form amqp://user:password@host:port/vhost (or amqps:// for TLS); percent-encode '@', ':', '/', '?', '#' and '%' in the user name, password and vhost.")]
    [InlineData("amqp://h:99999/", "is not an address of the form amqp://user:password@host:port/vhost (or amqps:// for TLS); percent-encode '@', ':', '/', '?', '#' and '%' in the user name, password and vhost.")]
    [InlineData("amqp:///orders", "names no host; expected amqp://user:password@host:port/vhost (or amqps:// for TLS).")]
    [InlineData("amqp://h:0/", "has port 0; a port is between 1 and 65535.")]
    [InlineData("amqp://h/prod/a", "has a path of 2 segments ('/prod/a'); the vhost is one segment: percent-encode '/' in it as %2F (amqp://host/%2F is the vhost '/').")]
    [InlineData("amqp://h/prod/", "has a path of 2 segments ('/prod/'); the vhost is one segment: percent-encode '/' in it as %2F (amqp://host/%2F is the vhost '/').")]
    [InlineData("amqp://h/?heartbeat=10", "has a query or fragment ('?', '#'); the address takes no options: set them as BusRuntime settings, and percent-encode '?' and '#' in a password.")]
    [InlineData("amqp://:secret@h/", "names no user name before the password.")]
    public void Parse_BadAddress_FailsNamingTheKeyAndWhatIsWrong(string value, string problem)
    {
        var error = Assert.Throws<InvalidOperationException>(() => RabbitMqAddress.Parse(value));

        Assert.Equal($"BusRuntime:RabbitMq '{value.Replace(":secret@", ":***@", StringComparison.Ordinal)}' {problem}", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Parse_Empty_SaysItIsEmpty(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => RabbitMqAddress.Parse(value));

        Assert.Equal("BusRuntime:RabbitMq is empty; expected amqp://user:password@host:port/vhost (or amqps:// for TLS).", error.Message);
    }

    [Theory]
    [InlineData("amqps://user:hunter2@host/a/b", "amqps://user:***@host/a/b")]
    [InlineData("amqp://user:hun:ter2@host/", "amqp://user:***@host/")]
    [InlineData("amqp://user:hunter2#x@host/", "amqp://user:***@host/")]
    [InlineData("amqp://user:hun@ter2@host/", "amqp://user:***@host/")]
    [InlineData("amqp://user:hunter2@host/?x=1", "amqp://user:***@host/?x=1")]
    [InlineData("http://user:hunter2@host/", "http://user:***@host/")]
    public void Parse_BadAddressWithPassword_DoesNotRepeatThePassword(string value, string shown)
    {
        var error = Assert.Throws<InvalidOperationException>(() => RabbitMqAddress.Parse(value));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ter2", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{shown}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amqp://guest:guest@127.0.0.1:5672/", "amqp://guest@127.0.0.1:5672/")]
    [InlineData("amqps://app:pw@broker.example/prod%2Fa", "amqps://app@broker.example:5671/prod%2Fa")]
    public void ToString_NeverShowsThePassword(string value, string shown)
    {
        Assert.Equal(shown, RabbitMqAddress.Parse(value).ToString());
    }
}
