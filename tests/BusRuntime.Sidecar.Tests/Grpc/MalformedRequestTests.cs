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
}
