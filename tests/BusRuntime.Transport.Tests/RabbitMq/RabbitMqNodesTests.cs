using BusRuntime.Transport.RabbitMq;

namespace BusRuntime.Transport.Tests.RabbitMq;

public sealed class RabbitMqNodesTests
{
    private const string Cluster = "amqp://app:pw@127.0.0.1:5681/v,amqp://app:pw@127.0.0.1:5682/v, amqp://app:pw@127.0.0.1:5683/v";

    [Fact]
    public void Parse_OneAddress_IsOneNodeNotACluster()
    {
        var nodes = RabbitMqNodes.Parse("amqp://app:pw@broker.local:5673/v", null);

        Assert.Equal([new RabbitMqAddress("broker.local", 5673, "v", "app", "pw")], nodes.Addresses);
        Assert.False(nodes.IsCluster);
    }

    [Fact]
    public void Parse_CommaSeparatedAddresses_IsEveryNodeInOrder()
    {
        var nodes = RabbitMqNodes.Parse(Cluster, null);

        Assert.Equal([5681, 5682, 5683], nodes.Addresses.Select(address => address.Port));
        Assert.All(nodes.Addresses, address => Assert.Equal(("app", "pw", "v"), (address.Username, address.Password, address.VirtualHost)));
        Assert.True(nodes.IsCluster);
    }

    [Theory]
    [InlineData("amqp://app:pw@h1/v,amqp://other:pw@h2/v", "user")]
    [InlineData("amqp://app:pw@h1/v,amqp://app:secret2@h2/v", "password")]
    [InlineData("amqp://app:pw@h1/v,amqp://app:pw@h2/w", "vhost")]
    [InlineData("amqp://app:pw@h1/v,amqps://app:pw@h2/v", "scheme")]
    public void Parse_NodesThatDiffer_FailsNamingTheKeyAndTheDifferenceWithoutPasswords(string value, string difference)
    {
        var error = Assert.Throws<InvalidOperationException>(() => RabbitMqNodes.Parse(value, null));

        Assert.StartsWith("BusRuntime:RabbitMq: the nodes of a cluster share one user, password, vhost and scheme", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"in its {difference}.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(":pw", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amqp://h1/,,amqp://h2/")]
    [InlineData("amqp://h1/,")]
    public void Parse_EmptyEntry_FailsNamingTheKey(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => RabbitMqNodes.Parse(value, null));

        Assert.Equal("BusRuntime:RabbitMq has an empty address in its list; separate the nodes' addresses with single commas.", error.Message);
    }

    [Fact]
    public void Parse_SameNodeTwice_Fails()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RabbitMqNodes.Parse("amqp://h1:5681/,amqp://h1:5681/", null));

        Assert.Equal("BusRuntime:RabbitMq lists 'amqp://guest@h1:5681/' twice.", error.Message);
    }

    [Fact]
    public void Parse_MoreThanTheBound_Fails()
    {
        var value = string.Join(',', Enumerable.Range(1, RabbitMqNodes.MaxNodes + 1).Select(port => $"amqp://h:{port}/"));

        var error = Assert.Throws<InvalidOperationException>(() => RabbitMqNodes.Parse(value, null));

        Assert.Equal($"BusRuntime:RabbitMq lists {RabbitMqNodes.MaxNodes + 1} addresses; at most {RabbitMqNodes.MaxNodes} are allowed.", error.Message);
    }

    [Fact]
    public void Parse_ABadAddressInTheList_FailsNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RabbitMqNodes.Parse("amqp://h1/,http://h2/", null));

        Assert.Contains("'http://h2/' has the scheme 'http'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolver_EachAttempt_OffersEveryNodeStartingAfterTheOneLastConnectedTo()
    {
        var nodes = RabbitMqNodes.Parse(Cluster, null);

        // RabbitMQ.Client takes endpoints until one connects: the first attempt connects to the first node, the
        // second finds the second node down and connects to the third.
        var first = nodes.Resolver.All().Take(1).Select(endpoint => endpoint.Port).ToList();
        var second = nodes.Resolver.All().Take(2).Select(endpoint => endpoint.Port).ToList();
        var third = nodes.Resolver.All().Select(endpoint => endpoint.Port).ToList();

        Assert.Equal([5681], first);
        Assert.Equal([5682, 5683], second);
        Assert.Equal([5681, 5682, 5683], third);
    }

    [Fact]
    public void ToString_ListsEveryNodeWithoutPasswords()
    {
        Assert.Equal("amqp://app@127.0.0.1:5681/v, amqp://app@127.0.0.1:5682/v, amqp://app@127.0.0.1:5683/v", RabbitMqNodes.Parse(Cluster, null).ToString());
    }
}
