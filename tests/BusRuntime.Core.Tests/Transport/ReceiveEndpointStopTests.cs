using BusRuntime.Core.Transport;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Core.Tests.Transport;

/// <summary>Stopping a runtime-connected receive endpoint waits for it, but never longer than the limit.</summary>
public sealed class ReceiveEndpointStopTests
{
    [Fact]
    public async Task StopAsync_EndpointStops_True()
    {
        var endpoint = new ScriptedEndpoint();
        endpoint.Stopped.SetResult();

        var stopped = await ReceiveEndpointStop.StopAsync(endpoint, "orders", new FakeTimeProvider(), NullLogger.Instance);

        Assert.True(stopped);
        Assert.False(endpoint.StopToken.IsCancellationRequested);
    }

    [Fact]
    public async Task StopAsync_StopNeverEnds_FalseOnceTheLimitHasPassedAndTheStopIsCancelled()
    {
        var clock = new FakeTimeProvider();
        var endpoint = new ScriptedEndpoint();

        var stopping = ReceiveEndpointStop.StopAsync(endpoint, "orders", clock, NullLogger.Instance);
        clock.Advance(ReceiveEndpointStop.Limit - TimeSpan.FromSeconds(1));
        Assert.False(stopping.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var stopped = await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(stopped);
        Assert.True(endpoint.StopToken.IsCancellationRequested);
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
