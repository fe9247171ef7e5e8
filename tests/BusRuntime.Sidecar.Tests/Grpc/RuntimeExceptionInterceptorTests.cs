using BusRuntime.Core.Errors;
using BusRuntime.Grpc.Errors;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace BusRuntime.Sidecar.Tests.Grpc;

public sealed class RuntimeExceptionInterceptorTests
{
    private const string BusRuntimeMethod = "/busruntime.v1.Runtime/GetState";
    private const string OperationsMethod = "/busruntime.v1.Operations/GetMessage";
    private const string DaprMethod = "/dapr.proto.runtime.v1.Dapr/GetState";
    private const string LayottoMethod = "/spec.proto.runtime.v1.Runtime/GetState";

    private readonly RuntimeExceptionInterceptor interceptor = new(TimeProvider.System, NullLogger<RuntimeExceptionInterceptor>.Instance);

    public static TheoryData<ErrorCode> Kinds() => [.. Enum.GetValues<ErrorCode>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task UnaryServerHandler_BusRuntimeCalls_AnswerTheTablesBusRuntimeColumn(ErrorCode kind)
    {
        var expected = (StatusCode)ErrorTable.Of(kind).BusRuntimeGrpc;

        Assert.Equal(expected, (await FailAsync(BusRuntimeMethod, kind)).StatusCode);
        Assert.Equal(expected, (await FailAsync(OperationsMethod, kind)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task UnaryServerHandler_DaprCall_AnswersTheTablesDaprColumn(ErrorCode kind)
    {
        var error = await FailAsync(DaprMethod, kind);

        Assert.Equal((StatusCode)ErrorTable.Of(kind).DaprGrpc, error.StatusCode);
        Assert.Equal("the message as it is", error.Status.Detail);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task UnaryServerHandler_LayottoCall_AnswersTheTablesLayottoColumn(ErrorCode kind)
    {
        var error = await FailAsync(LayottoMethod, kind);

        Assert.Equal((StatusCode)ErrorTable.Of(kind).LayottoGrpc, error.StatusCode);
        Assert.Equal("the message as it is", error.Status.Detail);
    }

    [Fact]
    public async Task UnaryServerHandler_UnknownComponentOnLayotto_IsInvalidArgumentAsLayottoAnswers() =>
        Assert.Equal(StatusCode.InvalidArgument, (await FailAsync(LayottoMethod, ErrorCode.ComponentNotFound)).StatusCode);

    [Fact]
    public async Task UnaryServerHandler_UnknownComponent_IsNotFoundOnBusRuntimeAndInvalidArgumentOnDapr()
    {
        Assert.Equal(StatusCode.NotFound, (await FailAsync(BusRuntimeMethod, ErrorCode.ComponentNotFound)).StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, (await FailAsync(DaprMethod, ErrorCode.ComponentNotFound)).StatusCode);
    }

    private Task<RpcException> FailAsync(string method, ErrorCode kind) =>
        Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<object, object>(
            new object(),
            new FakeCallContext(method),
            (_, _) => throw new RuntimeException(kind, "the message as it is")));

    private sealed class FakeCallContext(string method) : ServerCallContext
    {
        protected override string MethodCore => method;

        protected override string HostCore => "localhost";

        protected override string PeerCore => "ipv4:127.0.0.1:5000";

        protected override DateTime DeadlineCore => DateTime.MaxValue;

        protected override Metadata RequestHeadersCore { get; } = [];

        protected override CancellationToken CancellationTokenCore => CancellationToken.None;

        protected override Metadata ResponseTrailersCore { get; } = [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore { get; } = new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
