using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.PubSub;

/// <summary>A sidecar whose broker does not answer: publishes fail fast with a status, never hang.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class BrokerUnavailableTests
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(2);

    /// <summary>A sidecar pointed at a loopback port where nothing listens.</summary>
    internal static Task<TestSidecar> StartWithoutBrokerAsync(string appId) =>
        TestSidecar.StartAsync(appId, new Dictionary<string, string?>
        {
            ["BusRuntime:Transport"] = "RabbitMq",
            ["BusRuntime:RabbitMq"] = $"amqp://guest:guest@127.0.0.1:{FreePort.Next()}/",
            ["BusRuntime:PublishTimeout"] = "00:00:02",
            ["BusRuntime:PubSub:SubscribeTimeout"] = "00:00:02",

            // The bus failing to connect is what these tests expect; its warnings would bury the test output.
            ["Logging:LogLevel:MassTransit"] = "Error",
            ["Logging:LogLevel:BusRuntime.Core.PubSub"] = "Error",
            ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
        });

    [Fact]
    public async Task PublishEvent_BrokerUnreachable_FailsUnavailableNamingTheBrokerWithinThePublishTimeout()
    {
        await using var sidecar = await StartWithoutBrokerAsync(RabbitMqFixture.Unique("shop"));
        var clock = Stopwatch.StartNew();

        // The generous deadline only keeps a hanging publish from hanging the test: it must not be what ends the call.
        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.PublishEventAsync(
            new PublishEventRequest { PubsubName = "pubsub", Topic = "orders", Data = ByteString.CopyFromUtf8("{}") },
            deadline: DateTime.UtcNow.AddSeconds(30)));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("broker", error.Status.Detail, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < PublishTimeout + TimeSpan.FromSeconds(3), $"The publish failed after {clock.Elapsed.TotalSeconds:0.0}s; the publish timeout is {PublishTimeout.TotalSeconds}s.");
    }

    [Fact]
    public async Task SubscribeTopicEvents_BrokerUnreachable_FailsUnavailableNamingTheQueueWithinTheSubscribeTimeout()
    {
        await using var sidecar = await StartWithoutBrokerAsync(RabbitMqFixture.Unique("shop"));
        var clock = Stopwatch.StartNew();
        using var call = sidecar.Runtime.SubscribeTopicEvents(deadline: DateTime.UtcNow.AddSeconds(30));
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = "orders" } });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("the broker did not start consuming queue", error.Status.Detail, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < PublishTimeout + TimeSpan.FromSeconds(3), $"The subscription failed after {clock.Elapsed.TotalSeconds:0.0}s; the subscribe timeout is {PublishTimeout.TotalSeconds}s.");
        using var info = await sidecar.Http.GetAsync(new Uri("/actuator/info", UriKind.Relative));
        Assert.Contains("\"subscriptions\":[]", await info.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribeTopicEvents_BrokerUnreachable_SubscriptionsToOtherTopicsDoNotWaitForEachOther()
    {
        await using var sidecar = await StartWithoutBrokerAsync(RabbitMqFixture.Unique("shop"));
        var clock = Stopwatch.StartNew();

        var failures = await Task.WhenAll(new[] { "a", "b", "c" }.Select(async topic =>
        {
            using var call = sidecar.Runtime.SubscribeTopicEvents(deadline: DateTime.UtcNow.AddSeconds(30));
            await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest { InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = topic } });
            return await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        }));

        Assert.All(failures, error => Assert.Equal(StatusCode.Unavailable, error.StatusCode));
        Assert.True(clock.Elapsed < PublishTimeout + TimeSpan.FromSeconds(3), $"Three subscriptions failed after {clock.Elapsed.TotalSeconds:0.0}s; each waits {PublishTimeout.TotalSeconds}s, so they waited in turn.");
    }

    [Fact]
    public async Task PublishEvent_BrokerUnreachableAndDeadlineShorterThanPublishTimeout_SidecarAnswersDeadlineExceeded()
    {
        await using var sidecar = await StartWithoutBrokerAsync(RabbitMqFixture.Unique("shop"));
        var clock = Stopwatch.StartNew();

        // A client that enforces no deadline of its own, so the status is the sidecar's answer: a sidecar that
        // ignored the deadline would answer UNAVAILABLE after the publish timeout, or hang until the HTTP timeout.
        var (status, detail) = await CallWithDeadlineAsync(
            sidecar,
            new PublishEventRequest { PubsubName = "pubsub", Topic = "orders", Data = ByteString.CopyFromUtf8("{}") },
            TimeSpan.FromMilliseconds(500));

        Assert.True(status == StatusCode.DeadlineExceeded, $"The sidecar answered {status} ({detail}) after {clock.Elapsed.TotalSeconds:0.0}s.");
        Assert.True(clock.Elapsed < PublishTimeout, $"The sidecar answered after {clock.Elapsed.TotalSeconds:0.0}s; the deadline was 0.5s.");
    }

    /// <summary>A raw gRPC call over HTTP/2 with a grpc-timeout header; returns the status the server sent.</summary>
    private static async Task<(StatusCode Status, string Detail)> CallWithDeadlineAsync(TestSidecar sidecar, PublishEventRequest request, TimeSpan deadline)
    {
        var message = request.ToByteArray();
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var call = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{sidecar.GrpcPort}/{Runtime.Descriptor.FullName}/PublishEvent"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        call.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        call.Headers.TE.ParseAdd("trailers");
        call.Headers.Add("grpc-timeout", $"{(int)deadline.TotalMilliseconds}m");

        using var response = await http.SendAsync(call);
        await response.Content.ReadAsByteArrayAsync();
        var status = Header(response, "grpc-status") ?? throw new InvalidOperationException($"The response ({response.StatusCode}) carries no grpc-status.");
        return ((StatusCode)int.Parse(status, CultureInfo.InvariantCulture), Uri.UnescapeDataString(Header(response, "grpc-message") ?? ""));
    }

    // A call that fails before any message is "trailers-only": its status travels in the headers.
    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.First()
        : response.Headers.TryGetValues(name, out var header) ? header.First()
        : null;
}
