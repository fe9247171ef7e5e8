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
        Assert.Equal(new RabbitMqAddress("10.1.2.3", 5680, "v", "u", "p"), provider.GetRequiredService<RabbitMqAddress>());
    }

    [Fact]
    public void AddBusRuntimeBus_Amqps_UsesTlsOnTheConfiguredAddress()
    {
        using var provider = AddBus(("BusRuntime:Transport", "RabbitMq"), ("BusRuntime:RabbitMq", "amqps://u:p@broker.example/v")).BuildServiceProvider();

        Assert.Equal(new RabbitMqAddress("broker.example", 5671, "v", "u", "p", Tls: true), provider.GetRequiredService<RabbitMqAddress>());
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
}
