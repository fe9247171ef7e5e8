using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace BusRuntime.Transport.Tests;

/// <summary>The sidecar's bus start (never waiting for the broker) and stop (never waiting past the host's shutdown timeout).</summary>
public sealed class BusLifetimeTests
{
    [Fact]
    public void StartAsync_BrokerNotThereYet_ReturnsWithoutWaitingForTheBus()
    {
        var depot = new ScriptedDepot();
        var lifetime = new BusLifetime(depot, NullLogger<BusLifetime>.Instance);

        var start = lifetime.StartAsync(CancellationToken.None);

        Assert.True(start.IsCompletedSuccessfully);
        Assert.Equal(1, depot.Starts);
    }

    [Fact]
    public async Task StopAsync_BusStopsInTime_WaitsForIt()
    {
        var depot = new ScriptedDepot();
        var lifetime = new BusLifetime(depot, NullLogger<BusLifetime>.Instance);
        await lifetime.StartAsync(CancellationToken.None);

        var stop = lifetime.StopAsync(CancellationToken.None);
        Assert.False(stop.IsCompleted);
        depot.Stopped.SetResult();
        await stop.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, depot.Stops);
    }

    [Fact]
    public async Task StopAsync_BusStopNeverEnds_ReturnsWhenTheShutdownTimeoutEnds()
    {
        var depot = new ScriptedDepot();
        var lifetime = new BusLifetime(depot, NullLogger<BusLifetime>.Instance);
        await lifetime.StartAsync(CancellationToken.None);
        using var shutdownTimeout = new CancellationTokenSource();

        var stop = lifetime.StopAsync(shutdownTimeout.Token);
        Assert.False(stop.IsCompleted);
        await shutdownTimeout.CancelAsync();
        await stop.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(stop.IsCompletedSuccessfully);
        Assert.False(depot.Stopped.Task.IsCompleted);
    }

    [Fact]
    public async Task StopAsync_NeverStarted_DoesNotStopTheBus()
    {
        var depot = new ScriptedDepot();
        var lifetime = new BusLifetime(depot, NullLogger<BusLifetime>.Instance);

        await lifetime.StopAsync(CancellationToken.None);

        Assert.Equal(0, depot.Stops);
    }

    [Fact]
    public void AddBusRuntimeBus_StartsTheBusThroughBusLifetimeOnly()
    {
        var services = new ServiceCollection().AddBusRuntimeBus(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());

        var hostedServices = services.Where(service => service.ServiceType == typeof(IHostedService)).Select(service => service.ImplementationType).ToList();

        Assert.Contains(typeof(BusLifetime), hostedServices);
        Assert.DoesNotContain(typeof(MassTransitHostedService), hostedServices);
    }

    /// <summary>A bus depot whose start never completes (no broker yet) and whose stop completes when the test says.</summary>
    private sealed class ScriptedDepot : IBusDepot
    {
        public int Starts { get; private set; }

        public int Stops { get; private set; }

        public TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Start(CancellationToken cancellationToken)
        {
            Starts++;
            return new TaskCompletionSource().Task;
        }

        public Task Stop(CancellationToken cancellationToken)
        {
            Stops++;
            return Stopped.Task;
        }
    }
}
