using BusRuntime.Core.Configuration;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace BusRuntime.AppCallback;

/// <summary>The one gRPC channel to the app's callback port, shared by everything that calls the app.</summary>
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
        HealthClient = new Protos.Dapr.Runtime.V1.AppCallbackHealthCheck.AppCallbackHealthCheckClient(channel);
        Client = new Protos.Dapr.Runtime.V1.AppCallback.AppCallbackClient(channel);
        LayottoClient = new Protos.Layotto.Runtime.V1.AppCallback.AppCallbackClient(channel);
        AlphaClient = new Protos.Dapr.Runtime.V1.AppCallbackAlpha.AppCallbackAlphaClient(channel);
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
