using System.Collections.Concurrent;
using BusRuntime.Contracts;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Resilience;
using BusRuntime.Core.Stores;
using BusRuntime.Core.Transport;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace BusRuntime.Core.AppConfiguration;

/// <summary>
/// This sidecar's configuration watches and the one bus endpoint that feeds them: a temporary queue of its
/// own (auto-deleted, so every sidecar gets every <see cref="ConfigurationChanged"/> event rather than
/// competing for them), connected when the first watch starts. Each time that queue is consuming again —
/// first start, or the broker came back — every watch reads its store again, so a change whose event
/// was lost meanwhile is not missed.
/// </summary>
public sealed class ConfigurationSubscriptions(
    IReceiveEndpointConnector connector,
    IBus bus,
    IOptions<RuntimeOptions> runtimeOptions,
    ResiliencePipelineProvider<ResiliencePipelineKey> pipelines,
    TimeProvider timeProvider,
    ILogger<ConfigurationSubscriptions> logger) : IAsyncDisposable
{
    /// <summary>The tag in the name of each sidecar's configuration queue.</summary>
    public const string QueueTag = "config";

    private readonly ConcurrentDictionary<ConfigurationWatch, byte> watches = new();
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile HostReceiveEndpointHandle? endpoint;

    /// <summary>How many watches (SubscribeConfiguration streams) are active.</summary>
    public int Count => watches.Count;

    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (endpoint is { } connected)
            {
                endpoint = null;
                await ReceiveEndpointStop.StopAsync(connected, connected.ReceiveEndpoint.InputAddress.ToString(), timeProvider, logger, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    internal async Task<ConfigurationWatch> AddAsync(NamedStore<IConfigurationStore> store, ConfigurationSubscription subscription, CancellationToken cancellationToken)
    {
        await EnsureListeningAsync(cancellationToken).ConfigureAwait(false);
        // A watch reads the store only after it is registered, so a change committed after that read
        // reaches it as an event or, if the queue is not consuming yet, through the read when it is.
        var watch = new ConfigurationWatch(store, subscription, Remove, pipelines.GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.ConfigurationReread, store.Name)));
        watches.TryAdd(watch, 0);
        return watch;
    }

    internal void Dispatch(ConfigurationChanged change, bool fromThisSidecar)
    {
        foreach (var watch in watches.Keys)
        {
            if (watch.Follows(change, fromThisSidecar))
            {
                watch.Offer(change);
            }
        }
    }

    private void Remove(ConfigurationWatch watch) => watches.TryRemove(watch, out _);

    private void RereadAll()
    {
        foreach (var watch in watches.Keys)
        {
            watch.RequestReread();
        }
    }

    private async Task EnsureListeningAsync(CancellationToken cancellationToken)
    {
        if (endpoint is not null)
        {
            return;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (endpoint is null)
            {
                endpoint = connector.ConnectReceiveEndpoint(new AppTemporaryEndpoint(runtimeOptions.Value.AppId, QueueTag), null, (_, configurator) =>
                {
                    configurator.PublishFaults = false;
                    // One at a time, in the order the broker hands them over: fewer events arrive stale.
                    configurator.ConcurrentMessageLimit = 1;
                    configurator.ConnectReceiveEndpointObserver(new ConsumingAgain(this));
                    configurator.Consumer(() => new ConfigurationChangedConsumer(this, bus.Address));
                });
                Log.Listening(logger, endpoint.ReceiveEndpoint.InputAddress);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private sealed class ConsumingAgain(ConfigurationSubscriptions owner) : IReceiveEndpointObserver
    {
        public Task Ready(ReceiveEndpointReady ready)
        {
            owner.RereadAll();
            return Task.CompletedTask;
        }

        public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

        public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

        public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
    }
}
