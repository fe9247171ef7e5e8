using BusRuntime.Core.Errors;
using BusRuntime.Core.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Registry;

namespace BusRuntime.Sagas.Tests.Activities;

/// <summary>
/// The retry a step runs its terminate check under (<see cref="ResiliencePipelines.WorkflowStep"/>): UNAVAILABLE
/// only, six attempts, 100 ms doubling, and no further once the step is cancelled.
/// </summary>
public sealed class StepActivityTests
{
    [Fact]
    public async Task TerminateCheck_StoreStaysUnavailable_SixAttemptsWaiting100MsDoublingThenGivesUp()
    {
        var clock = new TimerRecordingClock();
        await using var services = Services(clock);
        // Ends a retry this test did not expect, which would otherwise wait on the clock for ever.
        using var unexpected = new CancellationTokenSource();
        var attempts = 0;

        var reading = Retry(services).ExecuteAsync(
            _ =>
            {
                Interlocked.Increment(ref attempts);
                throw RuntimeException.Unavailable("the workflow store is down");
            },
            unexpected.Token).AsTask();
        try
        {
            foreach (var delay in new[] { 100, 200, 400, 800, 1600 })
            {
                await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(delay));
                clock.Advance(TimeSpan.FromMilliseconds(delay - 1));
                Assert.False(reading.IsCompleted);
                clock.Advance(TimeSpan.FromMilliseconds(1));
            }

            var failure = await Assert.ThrowsAsync<RuntimeException>(() => reading.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(ErrorCode.Unavailable, failure.Code);
            Assert.Equal(6, attempts);
        }
        finally
        {
            await unexpected.CancelAsync();
        }
    }

    [Fact]
    public async Task TerminateCheck_OtherFailure_IsNotRetried()
    {
        await using var services = Services(new TimerRecordingClock());
        var attempts = 0;

        var failure = await Assert.ThrowsAsync<RuntimeException>(() => Retry(services).ExecuteAsync(
            _ =>
            {
                Interlocked.Increment(ref attempts);
                throw RuntimeException.Internal("the instance does not parse");
            },
            CancellationToken.None).AsTask());

        Assert.Equal(ErrorCode.Internal, failure.Code);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task TerminateCheck_StepCancelledWhileWaiting_StopsRetrying()
    {
        var clock = new TimerRecordingClock();
        await using var services = Services(clock);
        using var stopping = new CancellationTokenSource();
        var attempts = 0;

        var reading = Retry(services).ExecuteAsync(
            _ =>
            {
                Interlocked.Increment(ref attempts);
                throw RuntimeException.Unavailable("the workflow store is down");
            },
            stopping.Token).AsTask();
        await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(100));
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(TimeSpan.FromSeconds(10)));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, attempts);
    }

    private static ResiliencePipeline Retry(IServiceProvider services) =>
        services.GetRequiredService<ResiliencePipelineProvider<ResiliencePipelineKey>>().GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.WorkflowStep));

    private static ServiceProvider Services(TimeProvider clock)
    {
        var configuration = new ConfigurationBuilder().Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton(clock)
            .AddBusRuntimeWorkflows()
            .BuildServiceProvider(validateScopes: true);
    }
}
