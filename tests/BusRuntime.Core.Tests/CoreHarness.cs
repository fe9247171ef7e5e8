using BusRuntime.Core.Transport;
using BusRuntime.Stores.InMemory;
using MassTransit;
using BusRuntime.Transport.InMemory;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Core.Tests;

/// <summary>The core primitives on MassTransit's test harness (in-memory transport), configured like a sidecar.</summary>
public sealed class CoreHarness : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    private CoreHarness(ServiceProvider provider, ITestHarness harness)
    {
        this.provider = provider;
        Harness = harness;
    }

    public ITestHarness Harness { get; }

    public T Get<T>() where T : notnull => provider.GetRequiredService<T>();

    public static async Task<CoreHarness> StartAsync(
        IDictionary<string, string?>? settings = null, TimeProvider? timeProvider = null, Action<IServiceCollection>? services = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["BusRuntime:AppId"] = "orders",
            ["BusRuntime:PubSub:RetryLimit"] = "1",
            ["BusRuntime:PubSub:RetryMinInterval"] = "00:00:00.010",
            ["BusRuntime:PubSub:RetryMaxInterval"] = "00:00:00.020",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var collection = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton(timeProvider ?? TimeProvider.System)
            .AddBusRuntimeCore()
            .AddBusRuntimeInMemoryStores()
            .AddBusRuntimeJournal()
            .AddBusRuntimeInMemoryJournal()
            .AddSingleton<IBusTransport, InMemoryBusTransport>()
            .AddMassTransitTestHarness();
        services?.Invoke(collection);
        var provider = collection.BuildServiceProvider(validateScopes: true);
        var harness = provider.GetRequiredService<ITestHarness>();
        // Assertions that nothing was sent wait this long for a message that should never come.
        harness.TestInactivityTimeout = TimeSpan.FromMilliseconds(300);
        // Starts every hosted service too (the bus, the journal's writer, the sweepers); Stop stops them.
        await harness.Start();
        return new CoreHarness(provider, harness);
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await provider.DisposeAsync();
    }
}
