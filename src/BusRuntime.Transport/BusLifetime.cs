using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Transport;

/// <summary>
/// Starts and stops the bus in place of MassTransit's hosted service. Start-up does not wait for the broker:
/// the sidecar serves, and reports itself not ready, until the bus is connected. Stopping waits for the bus
/// only until the host's shutdown timeout: after a broker restart, MassTransit's stop can wait forever on the
/// broker client, and a sidecar asked to stop must stop. What it leaves unacknowledged is redelivered by the
/// broker, as after a crash; nothing the sidecar accepted is at stake, since accepting waited for the broker.
/// </summary>
public sealed class BusLifetime(IBusDepot depot, ILogger<BusLifetime> logger) : IHostedService
{
    private Task? starting;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        starting = depot.Start(cancellationToken);
        return starting.IsCompleted ? starting : Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (starting is null)
        {
            return;
        }

        starting = null;
        try
        {
            // MassTransit is not handed the token: a stop it sees cancelled is left half done (endpoints still
            // consuming, the connection open). Consumers still running are cancelled by its ConsumerStopTimeout.
            await depot.Stop(CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.StopAbandoned(logger);
        }
    }
}
