using BusRuntime.Core.Transport;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Core.Tests.Transport;

/// <summary>Stopping a runtime-connected receive endpoint waits for it, but never longer than the limit or the host's shutdown.</summary>
public sealed class ReceiveEndpointStopTests
{
    [Fact]
    public async Task StopAsync_EndpointStops_True()
    {
        var endpoint = new ScriptedEndpoint();
        endpoint.Stopped.SetResult();

        var stopped = await ReceiveEndpointStop.StopAsync(endpoint, "orders", new FakeTimeProvider(), NullLogger.Instance, CancellationToken.None);

        Assert.True(stopped);
    }

    [Fact]
    public async Task StopAsync_StopNeverEnds_FalseOnceTheLimitHasPassed()
    {
        var clock = new FakeTimeProvider();
        var endpoint = new ScriptedEndpoint();

        var stopping = ReceiveEndpointStop.StopAsync(endpoint, "orders", clock, NullLogger.Instance, CancellationToken.None);
        clock.Advance(ReceiveEndpointStop.Limit - TimeSpan.FromSeconds(1));
        Assert.False(stopping.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var stopped = await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(stopped);
    }

    [Fact]
    public async Task StopAsync_ShutdownEndsBeforeTheLimit_FalseAtOnce_MassTransitsStopNotCancelled()
    {
        var endpoint = new ScriptedEndpoint();
        using var shutdown = new CancellationTokenSource();

        var stopping = ReceiveEndpointStop.StopAsync(endpoint, "orders", new FakeTimeProvider(), NullLogger.Instance, shutdown.Token);
        Assert.False(stopping.IsCompleted);
        await shutdown.CancelAsync();
        var stopped = await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(stopped);
        // A stop MassTransit sees cancelled is left half done, still consuming: it is never handed the token.
        Assert.False(endpoint.StopToken.CanBeCanceled);
    }

    /// <summary>An endpoint whose stop ends when the test says (or never), as one stuck on the broker client does.</summary>
    private sealed class ScriptedEndpoint : HostReceiveEndpointHandle
    {
        public TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken StopToken { get; private set; }

        public IReceiveEndpoint ReceiveEndpoint => throw new NotSupportedException("Not used by the stop.");

        public Task<ReceiveEndpointReady> Ready => new TaskCompletionSource<ReceiveEndpointReady>().Task;

        public Task StopAsync(CancellationToken cancellationToken = default)
        {
            StopToken = cancellationToken;
            return Stopped.Task;
        }
    }
}
