using BusRuntime.Core.Transport;
using BusRuntime.Transport.InMemory;
using BusRuntime.Transport.RabbitMq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Transport.Tests;

public sealed class BusServiceCollectionExtensionsTests
{
    private static IServiceCollection AddBus(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)))
            .Build();
        return new ServiceCollection().AddBusRuntimeBus(configuration);
    }

    [Fact]
    public void AddBusRuntimeBus_NothingConfigured_UsesTheInMemoryTransport()
    {
        using var provider = AddBus().BuildServiceProvider();

        Assert.IsType<InMemoryBusTransport>(provider.GetRequiredService<IBusTransport>());
    }

    [Theory]
    [InlineData("RabbitMq")]
    [InlineData("rabbitmq")]
    public void AddBusRuntimeBus_RabbitMq_UsesRabbitMqAtTheConfiguredAddress(string transport)
    {
        using var provider = AddBus(("BusRuntime:Transport", transport), ("BusRuntime:RabbitMq", "amqp://u:p@10.1.2.3:5680/v")).BuildServiceProvider();

        Assert.IsType<RabbitMqBusTransport>(provider.GetRequiredService<IBusTransport>());
        Assert.Equal([new RabbitMqAddress("10.1.2.3", 5680, "v", "u", "p")], provider.GetRequiredService<RabbitMqNodes>().Addresses);
    }

    [Fact]
    public void AddBusRuntimeBus_Amqps_UsesTlsOnTheConfiguredAddress()
    {
        using var provider = AddBus(("BusRuntime:Transport", "RabbitMq"), ("BusRuntime:RabbitMq", "amqps://u:p@broker.example/v")).BuildServiceProvider();

        Assert.Equal([new RabbitMqAddress("broker.example", 5671, "v", "u", "p", Tls: true)], provider.GetRequiredService<RabbitMqNodes>().Addresses);
        Assert.Same(RabbitMqTls.System, provider.GetRequiredService<RabbitMqTls>());
    }

    [Fact]
    public void AddBusRuntimeBus_CaCertificateThatDoesNotExist_FailsAtStartNamingTheKey()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AddBus(
            ("BusRuntime:Transport", "RabbitMq"),
            ("BusRuntime:RabbitMq", "amqps://u:p@broker.example/v"),
            ("BusRuntime:RabbitMqCaCertificate", "/nonexistent/ca.pem")));

        Assert.Equal("BusRuntime:RabbitMqCaCertificate '/nonexistent/ca.pem' does not exist.", error.Message);
    }

    [Fact]
    public void AddBusRuntimeBus_UnknownTransport_FailsNamingTheKeyAndTheAllowedValues()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AddBus(("BusRuntime:Transport", "Kafka")));

        Assert.Equal("BusRuntime:Transport 'Kafka' is not one of: InMemory, RabbitMq.", error.Message);
    }

    [Fact]
    public void AddBusRuntimeBus_UnknownInvokeReplies_FailsNamingTheKeyAndTheAllowedValues()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AddBus(("BusRuntime:Transport", "RabbitMq"), ("BusRuntime:InvokeReplies", "Polling")));

        Assert.Equal("BusRuntime:InvokeReplies 'Polling' is not one of: DirectReplyTo, ResponseQueue.", error.Message);
    }

    [Theory]
    [InlineData("amqp://u:p@h1/v", null, false)]
    [InlineData("amqp://u:p@h1/v,amqp://u:p@h2/v", null, true)]
    [InlineData("amqp://u:p@h1/v", "Quorum", true)]
    [InlineData("amqp://u:p@h1/v,amqp://u:p@h2/v", "classic", false)]
    [InlineData("amqp://u:p@h1/v,amqp://u:p@h2/v", "Auto", true)]
    public void AddBusRuntimeBus_RabbitMqQueues_QuorumOnAClusterOrWhenAskedFor(string brokers, string? queues, bool quorum)
    {
        var settings = new List<(string, string)> { ("BusRuntime:Transport", "RabbitMq"), ("BusRuntime:RabbitMq", brokers) };
        if (queues is not null)
        {
            settings.Add(("BusRuntime:RabbitMqQueues", queues));
        }

        using var provider = AddBus([.. settings]).BuildServiceProvider();

        Assert.Equal(quorum, Assert.IsType<RabbitMqBusTransport>(provider.GetRequiredService<IBusTransport>()).QuorumQueues);
    }

    [Fact]
    public void AddBusRuntimeBus_UnknownRabbitMqQueues_FailsNamingTheKeyAndTheAllowedValues()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AddBus(("BusRuntime:Transport", "RabbitMq"), ("BusRuntime:RabbitMqQueues", "Stream")));

        Assert.Equal("BusRuntime:RabbitMqQueues 'Stream' is not one of: Auto, Quorum, Classic.", error.Message);
    }
}
