using BusRuntime.Grpc.Invoke;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Invoke;

public sealed class InvokeServiceMappingTests
{
    [Fact]
    public void ToMetadata_AnswerFromAServiceWithHeadersGrpcCannotCarry_KeepsOnlyTheCarriableOnes()
    {
        var metadata = InvokeServiceMapping.ToMetadata(new Dictionary<string, string>
        {
            ["x-order-id"] = "42",
            ["bad key"] = "1",
            ["grpc-status"] = "0",
            ["content-type"] = "text/plain",
            ["x-bytes-bin"] = "not base64",
            ["x-line"] = "two\nlines",
        });

        Assert.Equal([("x-order-id", "42")], metadata.Select(entry => (entry.Key, entry.Value)));
    }

    [Theory]
    [InlineData(5, StatusCode.NotFound)]
    [InlineData(14, StatusCode.Unavailable)]
    [InlineData(99, StatusCode.Unknown)]
    [InlineData(-1, StatusCode.Unknown)]
    public void ToStatusCode_AppStatusNumber_IsTheGrpcCodeOrUnknown(int code, StatusCode expected) =>
        Assert.Equal(expected, InvokeServiceMapping.ToStatusCode(code));
}
