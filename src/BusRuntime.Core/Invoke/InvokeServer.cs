using BusRuntime.Contracts;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Invoke.AccessControl;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Transport;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Invoke;

/// <summary>
/// Serves this sidecar's app: consumes the app's invoke queue, which every replica shares, and answers
/// each request its access control allows through the <see cref="IInvokeHandler"/> (the app's OnInvoke).
/// </summary>
public sealed class InvokeServer(
    IReceiveEndpointConnector connector,
    IBusTransport transport,
    InvokeMetrics metrics,
    InvokeAccessControl accessControl,
    TimeProvider timeProvider,
    IOptions<RuntimeOptions> runtimeOptions,
    IOptions<InvokeOptions> invokeOptions,
    IOptions<PubSubOptions> pubSubOptions,
    ILogger<InvokeServer> logger)
{
    private int started;
    private volatile bool serving;

    /// <summary>Whether this sidecar consumes the invoke queue of <paramref name="appId"/>.</summary>
    public bool Serves(string appId) => serving && string.Equals(appId, runtimeOptions.Value.AppId, StringComparison.Ordinal);

    /// <summary>
    /// Starts consuming the app's invoke queue and returns once it is consuming; dispose the result to stop.
    /// Throws UNAVAILABLE when the broker does not start consuming within <see cref="PubSubOptions.SubscribeTimeout"/>.
    /// </summary>
    public async Task<IAsyncDisposable> ServeAsync(IInvokeHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var appId = runtimeOptions.Value.AppId;
        var queue = InvokeNames.Queue(appId);
        if (Interlocked.Exchange(ref started, 1) == 1)
        {
            throw new InvalidOperationException($"This sidecar already serves invocations of app '{appId}'.");
        }

        try
        {
            var concurrency = invokeOptions.Value.ConcurrentRequests;
            var endpoint = connector.ConnectReceiveEndpoint(queue, (_, configurator) =>
            {
                configurator.ConfigureConsumeTopology = false;
                configurator.PublishFaults = false;
                configurator.ConcurrentMessageLimit = concurrency;
                configurator.PrefetchCount = concurrency;
                transport.BindInvokeQueue(configurator, InvokeNames.Exchange(appId));

                // Every request is answered, so none should fault; if one does, its caller hears of it
                // through its deadline, and no _error or _skipped queue collects requests nobody waits for.
                configurator.DiscardFaultedMessages();
                configurator.DiscardSkippedMessages();
                configurator.Consumer(() => new InvokeRequestConsumer(handler, accessControl, metrics, timeProvider, runtimeOptions.Value.MaxPayloadBytes, logger));
            });
            var timeout = pubSubOptions.Value.SubscribeTimeout;
            try
            {
                await endpoint.Ready.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                await ReceiveEndpointStop.StopAsync(endpoint, queue, timeProvider, logger, CancellationToken.None).ConfigureAwait(false);
                if (exception is TimeoutException)
                {
                    throw RuntimeException.Unavailable($"the broker did not start consuming queue '{queue}' within {timeout.TotalSeconds:0.###}s.", exception);
                }

                throw;
            }

            serving = true;
            Log.Serving(logger, appId, queue);
            return new Registration(this, endpoint);
        }
        catch
        {
            Volatile.Write(ref started, 0);
            throw;
        }
    }

    private async Task StopAsync(HostReceiveEndpointHandle endpoint)
    {
        serving = false;
        await ReceiveEndpointStop.StopAsync(endpoint, InvokeNames.Queue(runtimeOptions.Value.AppId), timeProvider, logger, CancellationToken.None).ConfigureAwait(false);
        Volatile.Write(ref started, 0);
        Log.StoppedServing(logger, runtimeOptions.Value.AppId);
    }

    private sealed class Registration(InvokeServer owner, HostReceiveEndpointHandle endpoint) : IAsyncDisposable
    {
        private int disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                await owner.StopAsync(endpoint).ConfigureAwait(false);
            }
        }
    }
}
