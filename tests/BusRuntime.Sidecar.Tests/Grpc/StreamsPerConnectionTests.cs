using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace BusRuntime.Sidecar.Tests.Grpc;

/// <summary>
/// An app that follows many topics over one channel: clients that keep to one HTTP/2 connection (grpc-go,
/// grpc-java, Node.js) would see the call past the connection's stream limit wait silently.
/// </summary>
public sealed class StreamsPerConnectionTests
{
    [Fact]
    public async Task SubscribeTopicEvents_150StreamsOnOneConnection_EverySubscriptionStarts()
    {
        await using var sidecar = await TestSidecar.StartAsync("many-streams");
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{sidecar.GrpcPort}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false },
        });
        var runtime = new Runtime.RuntimeClient(channel);
        var calls = new List<AsyncDuplexStreamingCall<SubscribeTopicEventsRequest, SubscribeTopicEventsResponse>>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            for (var index = 0; index < 150; index++)
            {
                var call = runtime.SubscribeTopicEvents(cancellationToken: timeout.Token);
                calls.Add(call);
                await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
                {
                    InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = $"t{index % 10}" },
                });
            }

            var started = 0;
            foreach (var call in calls)
            {
                Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
                Assert.NotNull(call.ResponseStream.Current.InitialResponse);
                started++;
            }

            Assert.Equal(150, started);
        }
        finally
        {
            foreach (var call in calls)
            {
                call.Dispose();
            }
        }
    }
}
