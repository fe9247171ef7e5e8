using BusRuntime.AppCallback.Subscriptions;
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

namespace BusRuntime.AppCallback;

/// <summary>
/// Asks the app which topics it subscribes to (ListTopicSubscriptions) once it answers on its port, and
/// subscribes to each. The app may start after its sidecar and the broker may not be there yet, so both
/// steps are retried (<see cref="ResiliencePipelines.AppSubscriptions"/>), with backoff, until they succeed or
/// the sidecar stops. The app serves Dapr's AppCallback or Layotto's: <see cref="AppChannelOptions.AppCallbackProtocol"/>
/// names one, or (auto) Dapr's is asked first and Layotto's when the app does not implement Dapr's; events then go
/// to the OnTopicEvent of the one that answered, as do the resource files' subscriptions. With app health checks, the app
/// is asked once it is healthy, and its subscriptions pause while it is unhealthy (<see cref="HealthGatedSubscriptions"/>).
/// </summary>
public sealed partial class AppSubscriptionLoader(
    AppChannel app,
    AppTopicEventHandler daprHandler,
    LayottoAppTopicEventHandler layottoHandler,
    HealthGatedSubscriptions subscriptions,
    IOptions<AppChannelOptions> options,
    ResiliencePipelineProvider<ResiliencePipelineKey> pipelines,
    ILogger<AppSubscriptionLoader> logger) : BackgroundService
{
    private const string AutoProtocol = "auto";
    private const string LayottoProtocol = "layotto";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.AppPort == 0 || options.Value.IsHttpApp)
        {
            return;
        }

        // With health checks, as daprd: nothing is asked of the app until it is healthy.
        await subscriptions.WaitUntilHealthyAsync(stoppingToken).ConfigureAwait(false);
        var untilItWorks = pipelines.GetPipeline(new ResiliencePipelineKey(ResiliencePipelines.AppSubscriptions));
        var (listed, handler) = await untilItWorks.ExecuteAsync(ListAsync, stoppingToken).ConfigureAwait(false);
        var own = new List<AppSubscription>();
        foreach (var (pubsubName, topic, toSpec) in listed)
        {
            try
            {
                own.Add(new AppSubscription(toSpec(), handler, AppSubscription.FromApp));
            }
            catch (RuntimeException exception)
            {
                LogSubscriptionRejected(logger, pubsubName, topic, exception.Message);
            }
        }

        // The resource files' subscriptions go to the same AppCallback.
        await subscriptions.RunAsync(own, _ => handler, untilItWorks, stoppingToken).ConfigureAwait(false);
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
        builder.AddRetryUntilItWorks(
            new PredicateBuilder()
                .Handle<Grpc.Core.RpcException>()
                .Handle<RuntimeException>(exception => exception.Code == ErrorCode.Unavailable),
            (exception, attempt) => LogNotYet(logger, exception?.Message ?? "", attempt));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await subscriptions.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Loading the app's subscriptions failed (attempt {Attempt}): {Reason}; retrying")]
    private static partial void LogNotYet(ILogger logger, string reason, int attempt);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "The app's subscription to {PubsubName}/{Topic} was rejected: {Reason}")]
    private static partial void LogSubscriptionRejected(ILogger logger, string pubsubName, string topic, string reason);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "The app serves the {Protocol} AppCallback (BusRuntime:AppCallbackProtocol is {Configured})")]
    private static partial void LogProtocol(ILogger logger, string protocol, string configured);
}
