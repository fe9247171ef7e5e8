using BusRuntime.Core;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Transport;
using BusRuntime.Core.Workflows;
using BusRuntime.Sagas.Workflows;
using BusRuntime.Stores.InMemory;
using BusRuntime.Transport.InMemory;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Sagas.Tests;

/// <summary>
/// Connecting the workflow endpoints while the saga table cannot be read yet: tried again with backoff until it works or
/// the host stops; and endpoints of this sidecar alone wait for the first request that needs them.
/// </summary>
public sealed class WorkflowEndpointsTests
{
    [Fact]
    public async Task ExecuteAsync_SagaTableUnavailableTwice_ConnectsAfterWaiting200ThenAnother400Ms()
    {
        var clock = new TimerRecordingClock();
        var instances = new UnavailableInstances(failures: 2);
        var log = new NotYetLog();
        await using var provider = Services(clock, instances, log);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(200));
            clock.Advance(TimeSpan.FromMilliseconds(199));
            Assert.Equal(1, instances.Reads);
            clock.Advance(TimeSpan.FromMilliseconds(1));

            await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(400));
            Assert.Equal(2, instances.Reads);
            clock.Advance(TimeSpan.FromMilliseconds(399));
            Assert.Equal(2, instances.Reads);
            clock.Advance(TimeSpan.FromMilliseconds(1));

            await provider.GetRequiredService<WorkflowTopology>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(3, instances.Reads);
            Assert.Equal([1, 2], log.Attempts);
        }
        finally
        {
            await harness.Stop();
        }
    }

    [Fact]
    public async Task ExecuteAsync_HostStopsWhileTheSagaTableStaysUnavailable_EndsWithoutConnecting()
    {
        var clock = new TimerRecordingClock();
        var instances = new UnavailableInstances(failures: int.MaxValue);
        await using var provider = Services(clock, instances, new NotYetLog());
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(200));

        await harness.Stop();

        var endpoints = provider.GetServices<IHostedService>().OfType<WorkflowEndpoints>().Single();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => endpoints.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, instances.Reads);
        Assert.False(provider.GetRequiredService<WorkflowTopology>().Ready.IsCompleted);
    }

    [Fact]
    public async Task ExecuteAsync_EndpointsOfThisSidecarAlone_ConnectAtTheFirstRequire()
    {
        await using var provider = Services(TimeProvider.System, new UnavailableInstances(failures: 0), new NotYetLog(), shared: false);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            var topology = provider.GetRequiredService<WorkflowTopology>();
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            Assert.False(topology.Ready.IsCompleted);

            await topology.Require().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Contains("workflow-saga", topology.SagaAddress.AbsolutePath, StringComparison.Ordinal);
        }
        finally
        {
            await harness.Stop();
        }
    }

    private static ServiceProvider Services(TimeProvider clock, IWorkflowInstances instances, NotYetLog log, bool shared = true)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["BusRuntime:AppId"] = "orders" })
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.AddProvider(log))
            .AddSingleton(clock)
            .AddSingleton(instances);
        if (shared)
        {
            services.AddSingleton<IWorkflowSagaPlacement, SharedPlacement>();
        }

        return services
            .AddBusRuntimeCore()
            .AddBusRuntimeInMemoryStores()
            .AddSingleton<IBusTransport, InMemoryBusTransport>()
            .AddBusRuntimeWorkflows()
            .AddMassTransitTestHarness()
            .BuildServiceProvider(validateScopes: true);
    }

    /// <summary>Shared queues, as with PostgreSQL, so connecting reads the saga table first; the instances stay in memory.</summary>
    private sealed class SharedPlacement(WorkflowStateMachine machine) : IWorkflowSagaPlacement
    {
        public bool Shared => true;

        public void ConfigureSaga(IBusRegistrationContext context, IReceiveEndpointConfigurator endpoint) =>
            endpoint.StateMachineSaga(machine, new InMemorySagaRepository<WorkflowState>());
    }

    private sealed class UnavailableInstances(int failures) : IWorkflowInstances
    {
        private int reads;

        public int Reads => Volatile.Read(ref reads);

        public Task<WorkflowState?> FindAsync(Guid correlationId, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref reads) <= failures
                ? throw RuntimeException.Unavailable("the saga table is not there yet")
                : Task.FromResult<WorkflowState?>(null);

        public Task<IReadOnlyList<WorkflowState>> ListAsync(WorkflowStatus? status, string? startedBy, int limit, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    /// <summary>The attempts each "workflow endpoints not connected yet" line named.</summary>
    private sealed class NotYetLog : ILoggerProvider, ILogger
    {
        private readonly List<int> attempts = [];

        public IReadOnlyList<int> Attempts
        {
            get
            {
                lock (attempts)
                {
                    return [.. attempts];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 801 && state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                Assert.Contains("the saga table is not there yet", formatter(state, exception), StringComparison.Ordinal);
                lock (attempts)
                {
                    attempts.Add((int)values.Single(value => value.Key == "Attempt").Value!);
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
