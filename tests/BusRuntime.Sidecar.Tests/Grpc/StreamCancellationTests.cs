using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Grpc.Net.Client;
using DaprV1 = BusRuntime.Protos.Dapr.Runtime.V1;

namespace BusRuntime.Sidecar.Tests.Grpc;

/// <summary>
/// A client that cancels its stream is how it stops following a topic or configuration: the sidecar logs
/// that it stopped, without a warning, an error or a stack trace.
/// </summary>
public sealed class StreamCancellationTests
{
    public static TheoryData<string> Streams => ["SubscribeTopicEvents", "SubscribeTopicEventsAlpha1", "SubscribeConfiguration", "DaprSubscribeConfiguration"];

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task Stream_ClientCancels_LoggedAsStoppedFollowingWithoutAProblem(string stream)
    {
        await using var sidecar = await TestSidecar.StartAsync("cancelling");
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{sidecar.GrpcPort}");
        var dapr = new DaprV1.Dapr.DaprClient(channel);
        using var cancel = new CancellationTokenSource();

        var (method, call) = stream switch
        {
            "SubscribeTopicEvents" => ("/busruntime.v1.Runtime/SubscribeTopicEvents", await StartTopicAsync(sidecar, cancel.Token)),
            "SubscribeTopicEventsAlpha1" => ("/dapr.proto.runtime.v1.Dapr/SubscribeTopicEventsAlpha1", await StartDaprTopicAsync(dapr, cancel.Token)),
            "SubscribeConfiguration" => ("/busruntime.v1.Runtime/SubscribeConfiguration", await StartConfigurationAsync(sidecar, cancel.Token)),
            _ => ("/dapr.proto.runtime.v1.Dapr/SubscribeConfiguration", await StartDaprConfigurationAsync(dapr, cancel.Token)),
        };
        await cancel.CancelAsync();
        call.Dispose();

        await Poll.UntilAsync(() => sidecar.Log.Tail().Contains($"stopped following {method}", StringComparison.Ordinal), TimeSpan.FromSeconds(10), () => $"the sidecar did not log that the caller stopped following {method}:{Environment.NewLine}{sidecar.Log.Tail()}");
        Assert.True(sidecar.Log.Problems().Count == 0, string.Join(Environment.NewLine, sidecar.Log.Problems()));
    }

    private static async Task<IDisposable> StartTopicAsync(TestSidecar sidecar, CancellationToken cancellationToken)
    {
        var call = sidecar.Runtime.SubscribeTopicEvents(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
        {
            InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = "followed" },
        }, cancellationToken);
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken));
        return call;
    }

    private static async Task<IDisposable> StartDaprTopicAsync(DaprV1.Dapr.DaprClient dapr, CancellationToken cancellationToken)
    {
        var call = dapr.SubscribeTopicEventsAlpha1(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new DaprV1.SubscribeTopicEventsRequestAlpha1
        {
            InitialRequest = new DaprV1.SubscribeTopicEventsRequestInitialAlpha1 { PubsubName = "pubsub", Topic = "followed" },
        }, cancellationToken);
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken));
        return call;
    }

    private static async Task<IDisposable> StartConfigurationAsync(TestSidecar sidecar, CancellationToken cancellationToken)
    {
        var call = sidecar.Runtime.SubscribeConfiguration(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = "configstore", AppId = "cancelling" }, cancellationToken);
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken));
        return call;
    }

    private static async Task<IDisposable> StartDaprConfigurationAsync(DaprV1.Dapr.DaprClient dapr, CancellationToken cancellationToken)
    {
        var call = dapr.SubscribeConfiguration(new DaprV1.SubscribeConfigurationRequest { StoreName = "configstore" }, cancellationToken: cancellationToken);
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken));
        return call;
    }
}
