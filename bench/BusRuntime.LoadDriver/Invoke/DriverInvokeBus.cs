using BusRuntime.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.LoadDriver.Invoke;

/// <summary>
/// The driver's own MassTransit bus for path (c), configured as the caller's sidecar configures its bus for invocations:
/// RabbitMQ with publisher confirms, answers by direct reply-to (or MassTransit's response queue, as --replies says).
/// </summary>
public sealed class DriverInvokeBus : IAsyncDisposable
{
    private static readonly TimeSpan StartStopTimeout = TimeSpan.FromSeconds(30);

    private readonly ServiceProvider provider;
    private readonly IBusControl bus;

    private DriverInvokeBus(ServiceProvider services)
    {
        provider = services;
        bus = services.GetRequiredService<IBusControl>();
    }

    public static async Task<DriverInvokeBus> StartAsync(string rabbitMqUri, bool directReplyTo, CancellationToken cancellationToken)
    {
        var address = LoadDriverCommand.LocalBroker(rabbitMqUri).First;
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
        var started = new DriverInvokeBus(services);
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
