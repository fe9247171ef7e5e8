using BusRuntime.Protos.Layotto.Runtime.V1;
using BusRuntime.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using DaprInvokeResponse = BusRuntime.Protos.Dapr.Common.V1.InvokeResponse;
using DaprVerb = BusRuntime.Protos.Dapr.Common.V1.HTTPExtension.Types.Verb;

namespace BusRuntime.Sidecar.Tests.Layotto;

/// <summary>Layotto's InvokeService (Any data both ways) mapped onto the invoke primitive; on the in-memory bus a sidecar reaches its own app.</summary>
public sealed class LayottoInvokeApiTests
{
    [Fact]
    public async Task InvokeService_MessageWithHttpExtensionAndPackedData_TargetGetsThemAndCallerGetsThePackedAnswer()
    {
        await using var app = await InvokeApp.StartAsync();
        app.Respond = (request, _) => Task.FromResult(new DaprInvokeResponse { Data = Any.Pack(new Int32Value { Value = 7 }), ContentType = "application/grpc" });
        await using var sidecar = await TestSidecar.StartAsync("layotto-orders", appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        var (channel, layotto) = LayottoSidecar.ClientFor(sidecar);
        using (channel)
        {
            var response = await layotto.InvokeServiceAsync(new InvokeServiceRequest
            {
                Id = "layotto-orders",
                Message = new CommonInvokeRequest
                {
                    Method = "count",
                    Data = Any.Pack(new StringValue { Value = "lines" }),
                    ContentType = "application/grpc",
                    HttpExtension = new HTTPExtension { Verb = HTTPExtension.Types.Verb.Post, Querystring = "page=2" },
                },
            }, deadline: DateTime.UtcNow.AddSeconds(30));

            Assert.Equal(7, response.Data.Unpack<Int32Value>().Value);
            Assert.Equal("application/grpc", response.ContentType);
            var received = Assert.Single(app.Received).Request;
            Assert.Equal("count", received.Method);
            Assert.Equal("lines", received.Data.Unpack<StringValue>().Value);
            Assert.Equal(DaprVerb.Post, received.HttpExtension.Verb);
            Assert.Equal("page=2", received.HttpExtension.Querystring);
        }
    }

    [Theory]
    [InlineData("", true, "id is empty")]
    [InlineData("layotto-orders", false, "message is missing")]
    public async Task InvokeService_NoIdOrNoMessage_InvalidArgument(string id, bool withMessage, string message)
    {
        await using var sidecar = await TestSidecar.StartAsync("layotto-bad-invoke");
        var (channel, layotto) = LayottoSidecar.ClientFor(sidecar);
        using (channel)
        {
            var request = new InvokeServiceRequest { Id = id, Message = withMessage ? new CommonInvokeRequest { Method = "m" } : null };

            var error = await Assert.ThrowsAsync<RpcException>(async () => await layotto.InvokeServiceAsync(request));

            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
        }
    }
}
