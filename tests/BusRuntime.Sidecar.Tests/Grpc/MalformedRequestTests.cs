using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using BusRuntime.Protos.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;

namespace BusRuntime.Sidecar.Tests.Grpc;

/// <summary>Bytes that are not the request message: INVALID_ARGUMENT naming the call, and nothing logged as an error.</summary>
public sealed class MalformedRequestTests(EmbeddedSidecar fixture) : IClassFixture<EmbeddedSidecar>
{
    // A length-delimited field 1 that claims 5 bytes and carries one: the parser runs out of input.
    private static readonly byte[] Truncated = [0x0A, 0x05, 0x41];

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    [Theory]
    [InlineData("busruntime.v1.Runtime", "GetState")]
    [InlineData("busruntime.v1.Operations", "ListMessages")]
    [InlineData("dapr.proto.runtime.v1.Dapr", "GetState")]
    [InlineData("grpc.reflection.v1.ServerReflection", "ServerReflectionInfo")]
    public async Task Call_RequestIsNotProtobuf_InvalidArgumentNamingTheCall(string service, string name)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{fixture.Sidecar.GrpcPort}");
        var invoker = channel.CreateCallInvoker();
        var problemsBefore = fixture.Sidecar.Log.ProblemCount;
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10));

        var exception = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            if (name == "ServerReflectionInfo")
            {
                using var call = invoker.AsyncDuplexStreamingCall(new Method<byte[], byte[]>(MethodType.DuplexStreaming, service, name, Bytes, Bytes), null, options);
                await call.RequestStream.WriteAsync(Truncated);
                await call.ResponseStream.MoveNext(CancellationToken.None);
            }
            else
            {
                await invoker.AsyncUnaryCall(new Method<byte[], byte[]>(MethodType.Unary, service, name, Bytes, Bytes), null, options, Truncated);
            }
        });

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Contains($"/{service}/{name}", exception.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("not valid protobuf", exception.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(problemsBefore, fixture.Sidecar.Log.ProblemCount);
    }

    [Fact]
    public async Task SubscribeTopicEvents_SecondMessageIsNotProtobuf_InvalidArgumentAndNothingLogged()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{fixture.Sidecar.GrpcPort}");
        var invoker = channel.CreateCallInvoker();
        var problemsBefore = fixture.Sidecar.Log.ProblemCount;
        var initial = new Protos.V1.SubscribeTopicEventsRequest
        {
            InitialRequest = new Protos.V1.SubscribeTopicEventsRequestInitial { PubsubName = "pubsub", Topic = EmbeddedSidecar.Key("malformed") },
        };
        using var call = invoker.AsyncDuplexStreamingCall(
            new Method<byte[], byte[]>(MethodType.DuplexStreaming, "busruntime.v1.Runtime", "SubscribeTopicEvents", Bytes, Bytes),
            null,
            new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)));
        await call.RequestStream.WriteAsync(Google.Protobuf.MessageExtensions.ToByteArray(initial));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        await call.RequestStream.WriteAsync(Truncated);
        var exception = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Contains("/busruntime.v1.Runtime/SubscribeTopicEvents", exception.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(problemsBefore, fixture.Sidecar.Log.ProblemCount);
    }

    [Theory]
    [InlineData("/busruntime.v1.Runtime/GetState")]
    [InlineData("/busruntime.v1.Runtime/SubscribeTopicEvents")]
    public async Task Frame_CompressedFlagNeither0Nor1_InvalidArgumentAndNothingLogged(string method)
    {
        var problemsBefore = fixture.Sidecar.Log.ProblemCount;

        var (status, detail) = await SendFrameAsync(method, [7, 0, 0, 0, 2, 0x0A, 0x00]);

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Contains("compressed flag is 7", detail, StringComparison.Ordinal);
        Assert.Equal(problemsBefore, fixture.Sidecar.Log.ProblemCount);
    }

    [Fact]
    public async Task Frame_LengthOf2GiBOrMore_InvalidArgument()
    {
        var (status, detail) = await SendFrameAsync("/busruntime.v1.Runtime/GetState", [0, 0x80, 0, 0, 0, 0x0A, 0x00]);

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Contains("2147483648 bytes", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frame_GzipThatIsNotGzip_InvalidArgument()
    {
        var problemsBefore = fixture.Sidecar.Log.ProblemCount;

        var (status, detail) = await SendFrameAsync("/busruntime.v1.Runtime/GetState", [1, 0, 0, 0, 4, 0xDE, 0xAD, 0xBE, 0xEF], "gzip");

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Contains("not valid gzip", detail, StringComparison.Ordinal);
        Assert.Equal(problemsBefore, fixture.Sidecar.Log.ProblemCount);
    }

    [Fact]
    public async Task Frame_GzipThatInflatesPastTheMessageLimit_ResourceExhausted()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(new byte[50 * 1024 * 1024]);
        }

        var length = (int)compressed.Length;
        var (status, detail) = await SendFrameAsync(
            "/busruntime.v1.Runtime/GetState",
            [1, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, .. compressed.ToArray()],
            "gzip");

        Assert.Equal(StatusCode.ResourceExhausted, status);
        Assert.Contains("decompresses to more than", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(253402300800, 0)]
    [InlineData(long.MaxValue, 0)]
    [InlineData(0, -1)]
    [InlineData(0, 1_000_000_000)]
    public async Task ListMessages_SinceOutsideTimestampsRange_InvalidArgumentNamingSince(long seconds, int nanos)
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Sidecar.Operations.ListMessagesAsync(new ListMessagesRequest { Since = new Timestamp { Seconds = seconds, Nanos = nanos } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.StartsWith("since is not a time", exception.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>Posts <paramref name="body"/> as the call's raw request body over HTTP/2; the status it ends with.</summary>
    private async Task<(StatusCode Status, string Detail)> SendFrameAsync(string method, byte[] body, string? encoding = null)
    {
        using var client = new HttpClient(new SocketsHttpHandler());
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{fixture.Sidecar.GrpcPort}{method}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var status = Header(response.Headers, "grpc-status") ?? Header(response.TrailingHeaders, "grpc-status") ?? "-1";
        var detail = Uri.UnescapeDataString(Header(response.Headers, "grpc-message") ?? Header(response.TrailingHeaders, "grpc-message") ?? "");
        return ((StatusCode)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), detail);
    }

    private static string? Header(HttpHeaders headers, string name) => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
