using BusRuntime.Contracts;
using BusRuntime.Transport.RabbitMq;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.LoadDriver.Load;

/// <summary>
/// The driver's own MassTransit bus, for the paths that go on the bus without a sidecar (the publish benchmark's (a), the
/// invoke benchmark's (c)), configured as the sidecar configures its bus: RabbitMQ with publisher confirms, and, when
/// asked, answers to requests by direct reply-to.
/// </summary>
public sealed class DriverBus : IAsyncDisposable
{
    private static readonly TimeSpan StartStopTimeout = TimeSpan.FromSeconds(30);

    private readonly ServiceProvider provider;
    private readonly IBusControl bus;

    private DriverBus(ServiceProvider services)
    {
        provider = services;
        bus = services.GetRequiredService<IBusControl>();
    }

    public IBus Bus => bus;

    public static async Task<DriverBus> StartAsync(RabbitMqAddress address, bool directReplyTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var services = new ServiceCollection()
            .AddMassTransit(registration =>
            {
                registration.DisableUsageTelemetry();
                if (directReplyTo)
                {
                    registration.SetRabbitMqReplyToRequestClientFactory();
                }

                registration.UsingRabbitMq((_, rabbitMq) => rabbitMq.Host(address.Host, (ushort)address.Port, address.VirtualHost, host =>
                {
                    host.Username(address.Username);
                    host.Password(address.Password);
                    host.PublisherConfirmation = true;
                }));
            })
            .BuildServiceProvider();
        var started = new DriverBus(services);
        using var startWindow = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startWindow.CancelAfter(StartStopTimeout);
        try
        {
            await started.bus.StartAsync(startWindow.Token);
        }
        catch (Exception failure)
        {
            await services.DisposeAsync();
            if (failure is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new LoadDriverException($"the driver's MassTransit bus did not start on {address}: {failure.Message}", failure);
        }

        return started;
    }

    /// <summary>A request client for the invocations of <paramref name="appId"/>, sent to the exchange its replicas' queue is bound to.</summary>
    public IRequestClient<InvokeRequest> ClientFor(string appId) =>
        provider.GetRequiredService<IClientFactory>().CreateRequestClient<InvokeRequest>(new Uri($"exchange:{InvokeNames.Exchange(appId)}"));

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var stopWindow = new CancellationTokenSource(StartStopTimeout);
            await bus.StopAsync(stopWindow.Token);
        }
        finally
        {
            await provider.DisposeAsync();
        }
    }
}
