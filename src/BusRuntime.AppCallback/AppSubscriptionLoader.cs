using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Resilience;
using BusRuntime.Core.Subscriptions;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.DependencyInjection;
using Polly.Registry;
using Polly.Retry;

namespace BusRuntime.AppCallback;

/// <summary>
/// Asks the app which topics it subscribes to (ListTopicSubscriptions) once it answers on its port, and
/// subscribes to each. The app may start after its sidecar and the broker may not be there yet, so both
/// steps are retried (<see cref="ResiliencePipelines.AppSubscriptions"/>), with backoff, until they succeed or
/// the sidecar stops.
/// </summary>
public sealed partial class AppSubscriptionLoader(
    AppChannel app,
    AppTopicEventHandler handler,
    TopicSubscriptions subscriptions,
    IOptions<AppChannelOptions> options,
    ResiliencePipelineProvider<ResiliencePipelineKey> pipelines,
    ILogger<AppSubscriptionLoader> logger) : BackgroundService
{
    private readonly List<IAsyncDisposable> registrations = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.AppPort == 0)
        {
            return;
        }

        var untilItWorks = pipelines.GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.AppSubscriptions));
        var listed = await untilItWorks.ExecuteAsync(
            async token => await app.Client.ListTopicSubscriptionsAsync(new Empty(), cancellationToken: token).ConfigureAwait(false),
            stoppingToken).ConfigureAwait(false);

        foreach (var subscription in listed.Subscriptions)
        {
            try
            {
                registrations.Add(await untilItWorks.ExecuteAsync(
                    async token => await subscriptions.AddAsync(subscription.PubsubName, subscription.Topic, handler, token).ConfigureAwait(false),
                    stoppingToken).ConfigureAwait(false));
            }
            catch (RuntimeException exception)
            {
                LogSubscriptionRejected(logger, subscription.PubsubName, subscription.Topic, exception.Message);
            }
        }

        LogSubscriptionsLoaded(logger, registrations.Count, listed.Subscriptions.Count);
    }

    /// <summary>Until it works: a failed call to the app, or a subscription the broker cannot take yet, is tried again with backoff.</summary>
    internal static void ConfigureRetry(ResiliencePipelineBuilder builder, AddResiliencePipelineContext<ResiliencePipelineKey> context)
    {
        var logger = context.ServiceProvider.GetRequiredService<ILogger<AppSubscriptionLoader>>();
        builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(5),
            ShouldHandle = new PredicateBuilder()
                .Handle<Grpc.Core.RpcException>()
                .Handle<RuntimeException>(exception => exception.Code == ErrorCode.Unavailable),
            OnRetry = retry =>
            {
                LogNotYet(logger, retry.Outcome.Exception?.Message ?? "", retry.AttemptNumber + 1);
                return ValueTask.CompletedTask;
            },
        });
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Ending a subscription waits on the broker: not beyond the host's shutdown timeout.
            foreach (var registration in registrations)
            {
                await registration.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopAbandoned(logger);
        }

        registrations.Clear();
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Loading the app's subscriptions failed (attempt {Attempt}): {Reason}; retrying")]
    private static partial void LogNotYet(ILogger logger, string reason, int attempt);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "The app's subscription to {PubsubName}/{Topic} was rejected: {Reason}")]
    private static partial void LogSubscriptionRejected(ILogger logger, string pubsubName, string topic, string reason);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Subscribed to {Subscribed} of the {Listed} topics the app listed")]
    private static partial void LogSubscriptionsLoaded(ILogger logger, int subscribed, int listed);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "The app's subscriptions did not end within the shutdown timeout; the sidecar stops without waiting for them")]
    private static partial void LogStopAbandoned(ILogger logger);
}
