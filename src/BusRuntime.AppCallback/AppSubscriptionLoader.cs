using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Resilience;
using BusRuntime.Core.Subscriptions;
using BusRuntime.Protos.Mapping;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
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
/// the sidecar stops. The app serves Dapr's AppCallback or Layotto's: <see cref="AppChannelOptions.AppCallbackProtocol"/>
/// names one, or (auto) Dapr's is asked first and Layotto's when the app does not implement Dapr's; events then go
/// to the OnTopicEvent of the one that answered.
/// </summary>
public sealed partial class AppSubscriptionLoader(
    AppChannel app,
    AppTopicEventHandler daprHandler,
    LayottoAppTopicEventHandler layottoHandler,
    TopicSubscriptions subscriptions,
    DeclaredSubscriptions declared,
    IOptions<AppChannelOptions> options,
    ResiliencePipelineProvider<ResiliencePipelineKey> pipelines,
    ILogger<AppSubscriptionLoader> logger) : BackgroundService
{
    private const string AutoProtocol = "auto";
    private const string LayottoProtocol = "layotto";

    private readonly List<IAsyncDisposable> registrations = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.AppPort == 0 || options.Value.IsHttpApp)
        {
            return;
        }

        var untilItWorks = pipelines.GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.AppSubscriptions));
        var (listed, handler) = await untilItWorks.ExecuteAsync(ListAsync, stoppingToken).ConfigureAwait(false);
        foreach (var (pubsubName, topic, toSpec) in listed)
        {
            try
            {
                var spec = toSpec();
                registrations.Add(await untilItWorks.ExecuteAsync(
                    async token => await subscriptions.AddAsync(spec, handler, token).ConfigureAwait(false),
                    stoppingToken).ConfigureAwait(false));
            }
            catch (RuntimeException exception)
            {
                LogSubscriptionRejected(logger, pubsubName, topic, exception.Message);
            }
        }

        LogSubscriptionsLoaded(logger, registrations.Count, listed.Count);
        await AddDeclaredAsync([.. listed.Select(each => (each.PubsubName, each.Topic))], handler, untilItWorks, stoppingToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The subscriptions of the resource files (--resources-path), delivered to the same AppCallback; a topic the app
    /// subscribes to itself keeps the app's subscription.
    /// </summary>
    private async Task AddDeclaredAsync(
        IReadOnlyList<(string PubsubName, string Topic)> listed, ITopicEventHandler handler, ResiliencePipeline untilItWorks, CancellationToken stoppingToken)
    {
        foreach (var subscription in declared.All)
        {
            var spec = subscription.Spec;
            if (listed.Contains((spec.PubsubName, spec.Topic)))
            {
                LogDeclaredShadowed(logger, subscription.Name, subscription.File, spec.PubsubName, spec.Topic);
                continue;
            }

            try
            {
                registrations.Add(await untilItWorks.ExecuteAsync(
                    async token => await subscriptions.AddAsync(spec, handler, token).ConfigureAwait(false),
                    stoppingToken).ConfigureAwait(false));
            }
            catch (RuntimeException exception)
            {
                LogSubscriptionRejected(logger, spec.PubsubName, spec.Topic, $"{subscription.File}: subscription {Quoted.Of(subscription.Name)}: {exception.Message}");
            }
        }
    }

    /// <summary>
    /// The app's topics, from the AppCallback it serves, each with what reads its spec (which throws INVALID_ARGUMENT for
    /// a bad routing rule, rejecting that subscription alone), and the handler that delivers to that service.
    /// </summary>
    private async ValueTask<(IReadOnlyList<(string PubsubName, string Topic, Func<SubscriptionSpec> Spec)> Topics, ITopicEventHandler Handler)> ListAsync(CancellationToken cancellationToken)
    {
        var protocol = options.Value.AppCallbackProtocol;
        if (protocol != LayottoProtocol)
        {
            try
            {
                var dapr = await app.Client.ListTopicSubscriptionsAsync(new Empty(), cancellationToken: cancellationToken).ConfigureAwait(false);
                LogProtocol(logger, "dapr", protocol);
                return ([.. dapr.Subscriptions.Select(subscription =>
                    (subscription.PubsubName, subscription.Topic, (Func<SubscriptionSpec>)(() => TopicSubscriptionMapping.ToSpec(subscription))))], daprHandler);
            }
            catch (RpcException exception) when (exception.StatusCode == StatusCode.Unimplemented && protocol == AutoProtocol)
            {
                // An app written for Layotto serves no Dapr AppCallback: ask Layotto's.
            }
        }

        var layotto = await app.LayottoClient.ListTopicSubscriptionsAsync(new Empty(), cancellationToken: cancellationToken).ConfigureAwait(false);
        LogProtocol(logger, "layotto", protocol);
        return ([.. layotto.Subscriptions.Select(subscription =>
            (subscription.PubsubName, subscription.Topic, (Func<SubscriptionSpec>)(() => new SubscriptionSpec(subscription.PubsubName, subscription.Topic))))], layottoHandler);
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

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "The app serves the {Protocol} AppCallback (BusRuntime:AppCallbackProtocol is {Configured})")]
    private static partial void LogProtocol(ILogger logger, string protocol, string configured);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "Subscription {Name} of {File} is not added: the app subscribes to {PubsubName}/{Topic} itself, and its own subscription is kept")]
    private static partial void LogDeclaredShadowed(ILogger logger, string name, string file, string pubsubName, string topic);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "The app's subscriptions did not end within the shutdown timeout; the sidecar stops without waiting for them")]
    private static partial void LogStopAbandoned(ILogger logger);
}
