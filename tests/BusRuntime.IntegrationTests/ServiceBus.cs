using MassTransit;

namespace BusRuntime.IntegrationTests;

/// <summary>A .NET service's own MassTransit bus on the test broker, next to the sidecars; stopped when disposed.</summary>
public sealed class ServiceBus : IAsyncDisposable
{
    private ServiceBus(IBusControl bus) => Bus = bus;

    public IBusControl Bus { get; }

    /// <summary>Starts a bus on RabbitMqFixture.Address with the receive endpoints <paramref name="configure"/> declares.</summary>
    public static async Task<ServiceBus> StartAsync(Action<IRabbitMqBusFactoryConfigurator>? configure = null)
    {
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbitMq =>
        {
            rabbitMq.Host(new Uri(RabbitMqFixture.Address));
            configure?.Invoke(rabbitMq);
        });
        using var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await bus.StartAsync(startTimeout.Token);
        return new ServiceBus(bus);
    }

    public async ValueTask DisposeAsync() => await Bus.StopAsync();
}
