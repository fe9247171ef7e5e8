using BusRuntime.Core.Configuration;
using BusRuntime.Core.Security;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace BusRuntime.AppCallback;

/// <summary>
/// The one gRPC channel to the app's callback port, shared by everything that calls the app; every call carries the app
/// API token (<see cref="AppChannelOptions.AppApiToken"/>) when there is one, as daprd's do.
/// </summary>
public sealed class AppChannel : IDisposable
{
    private readonly GrpcChannel channel;

    public AppChannel(IOptions<AppChannelOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        channel = GrpcChannel.ForAddress(options.Value.AppAddress, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });
        var invoker = options.Value.AppApiToken is { Length: > 0 } token
            ? channel.Intercept(metadata =>
            {
                metadata.Add(AppApiTokenHeader.Name, token);
                return metadata;
            })
            : channel.CreateCallInvoker();
        HealthClient = new Protos.Dapr.Runtime.V1.AppCallbackHealthCheck.AppCallbackHealthCheckClient(invoker);
        Client = new Protos.Dapr.Runtime.V1.AppCallback.AppCallbackClient(invoker);
        LayottoClient = new Protos.Layotto.Runtime.V1.AppCallback.AppCallbackClient(invoker);
        AlphaClient = new Protos.Dapr.Runtime.V1.AppCallbackAlpha.AppCallbackAlphaClient(invoker);
    }

    /// <summary>Dapr's AppCallbackAlpha, for an app that takes bulk deliveries only on OnBulkTopicEventAlpha1.</summary>
    public Protos.Dapr.Runtime.V1.AppCallbackAlpha.AppCallbackAlphaClient AlphaClient { get; }

    /// <summary>Dapr's AppCallback, for an app that serves it (and for OnInvoke, which only Dapr's has).</summary>
    public Protos.Dapr.Runtime.V1.AppCallback.AppCallbackClient Client { get; }

    /// <summary>Layotto's AppCallback (ListTopicSubscriptions, OnTopicEvent), for an app written for Layotto.</summary>
    public Protos.Layotto.Runtime.V1.AppCallback.AppCallbackClient LayottoClient { get; }

    /// <summary>Dapr's AppCallbackHealthCheck, which app health checks probe.</summary>
    public Protos.Dapr.Runtime.V1.AppCallbackHealthCheck.AppCallbackHealthCheckClient HealthClient { get; }

    public void Dispose() => channel.Dispose();
}
