using BusRuntime.Sagas;
using BusRuntime.Stores.Postgres.Sagas;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Stores.Tests.Sagas;

/// <summary>
/// The counter state machine on an in-memory bus (MassTransit's test harness) with its instances in the
/// PostgreSQL table counters of a schema of the test's own; the saga endpoint retries conflicts and holds
/// publishes in the in-memory outbox, and consumes several messages at once so that they race.
/// </summary>
public sealed class SagaBus : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    private SagaBus(ServiceProvider provider)
    {
        this.provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }

    public CounterProbe Probe => provider.GetRequiredService<CounterProbe>();

    public PostgresSagaInstances<CounterSaga> Instances => provider.GetRequiredService<PostgresSagaInstances<CounterSaga>>();

    public ILoadSagaRepository<CounterSaga> LoadRepository => provider.GetRequiredService<ILoadSagaRepository<CounterSaga>>();

    public static async Task<SagaBus> StartAsync(string connectionString, string schema, int retryLimit = 50, int concurrency = 16, bool insertOnInitial = false)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new CounterProbe { InsertOnInitial = insertOnInitial });
        services.AddMassTransitTestHarness(x =>
        {
            x.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(3));
            x.AddSagaStateMachine<CounterStateMachine, CounterSaga>()
                .PostgresRepository(connectionString, options =>
                {
                    options.Schema = schema;
                    options.Table = "counters";
                });
            x.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                endpoint.UseSagaConcurrencyRetryAndOutbox(context, retryLimit);
                endpoint.ConcurrentMessageLimit = concurrency;
            });
        });
        var provider = services.BuildServiceProvider(validateScopes: true);
        var bus = new SagaBus(provider);
        await bus.Harness.Start();
        return bus;
    }

    public Task PublishAsync<T>(T message)
        where T : class => Harness.Bus.Publish(message);

    public IReadOnlyList<Counted> Counted(Guid correlationId) =>
        Harness.Published.Select<Counted>().Select(message => message.Context.Message).Where(message => message.CorrelationId == correlationId).ToList();

    /// <summary>The exceptions of the faults published so far, for failure messages.</summary>
    public string Faults() =>
        string.Join("; ", Harness.Published.Select<Fault>().SelectMany(fault => fault.Context.Message.Exceptions).Select(Describe).Distinct());

    private static string Describe(ExceptionInfo exception) =>
        $"{exception.ExceptionType}: {exception.Message}{(exception.InnerException is { } inner ? $" <- {Describe(inner)}" : "")}";

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await provider.DisposeAsync();
    }
}
