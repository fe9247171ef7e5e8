using BusRuntime.AppCallback.Http;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Invoke;
using BusRuntime.Core.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.DependencyInjection;
using Polly.Registry;

namespace BusRuntime.AppCallback;

/// <summary>
/// Serves invocations of the app when it has a callback port: consumes the app's invoke queue, retrying
/// with backoff (<see cref="ResiliencePipelines.AppInvocations"/>) until the broker takes the consumer, so a
/// sidecar that starts before its broker serves as soon as the broker is there.
/// </summary>
public sealed partial class AppInvokeServer(
    InvokeServer server,
    AppInvokeHandler grpcHandler,
    HttpAppInvokeHandler httpHandler,
    IOptions<AppChannelOptions> options,
    ResiliencePipelineProvider<ResiliencePipelineKey> pipelines,
    ILogger<AppInvokeServer> logger) : BackgroundService
{
    private IAsyncDisposable? registration;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.AppPort == 0)
        {
            return;
        }

        IInvokeHandler handler = options.Value.IsHttpApp ? httpHandler : grpcHandler;
        var untilItWorks = pipelines.GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.AppInvocations));
        registration = await untilItWorks.ExecuteAsync(
            async token => await server.ServeAsync(handler, token).ConfigureAwait(false),
            stoppingToken).ConfigureAwait(false);
    }

    /// <summary>Until it works: connecting the invoke queue while the broker is unavailable is tried again with backoff.</summary>
    internal static void ConfigureRetry(ResiliencePipelineBuilder builder, AddResiliencePipelineContext<ResiliencePipelineKey> context)
    {
        var logger = context.ServiceProvider.GetRequiredService<ILogger<AppInvokeServer>>();
        builder.AddRetryUntilItWorks(
            new PredicateBuilder().Handle<RuntimeException>(exception => exception.Code == ErrorCode.Unavailable),
            (exception, attempt) => LogNotYet(logger, exception?.Message ?? "", attempt));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (registration is null)
        {
            return;
        }

        try
        {
            // Ending the invoke endpoint waits on the broker: not beyond the host's shutdown timeout.
            await registration.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopAbandoned(logger);
        }

        registration = null;
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Serving invocations of the app failed (attempt {Attempt}): {Reason}; retrying")]
    private static partial void LogNotYet(ILogger logger, string reason, int attempt);

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "Serving invocations of the app did not end within the shutdown timeout; the sidecar stops without waiting for it")]
    private static partial void LogStopAbandoned(ILogger logger);
}
