using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr.Client;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

#pragma warning disable CS0618 // InvokeMethodGrpcAsync is obsolete in the SDK, yet apps still call it: that is what is tested.

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>The Dapr .NET SDK's InvokeMethodGrpcAsync from one app's sidecar to another app's, over RabbitMQ.</summary>
[Collection(BrokerCollection.Name)]
public sealed class InvokeGrpcTests(BrokerFixture broker)
{
    [Fact]
    public async Task InvokeMethodGrpc_ProtobufRequest_TargetGetsThePackedMessageAndCallerUnpacksTheAnswer()
    {
        var target = BrokerFixture.UniqueAppId("sdk-target");
        try
        {
            await using var app = await DaprCallbackApp.StartAsync();
            app.Respond = request =>
            {
                var name = request.Data.Unpack<StringValue>().Value;
                return Task.FromResult(new InvokeResponse
                {
                    Data = Any.Pack(new StringValue { Value = $"hello {name}" }),
                    ContentType = "application/grpc",
                });
            };
            await using var targetSidecar = await TestSidecar.StartAsync(target, BrokerFixture.Settings(), app.Port);
            await targetSidecar.WaitUntilServingInvocationsAsync();
            await using var callerSidecar = await TestSidecar.StartAsync(BrokerFixture.UniqueAppId("sdk-caller"), BrokerFixture.Settings());
            using var dapr = SdkClients.For(callerSidecar);

            var answer = await dapr.InvokeMethodGrpcAsync<StringValue, StringValue>(target, "greet", new StringValue { Value = "ada" });

            Assert.Equal("hello ada", answer.Value);
            var received = Assert.Single(app.Invocations);
            Assert.Equal("greet", received.Request.Method);
            Assert.Equal("type.googleapis.com/google.protobuf.StringValue", received.Request.Data.TypeUrl);
        }
        finally
        {
            await broker.DeleteInvokeEntitiesAsync(target);
        }
    }

    [Fact]
    public async Task InvokeMethodGrpc_TargetFailsWithItsOwnStatus_InvocationExceptionCarriesThatStatus()
    {
        var target = BrokerFixture.UniqueAppId("sdk-failing");
        try
        {
            await using var app = await DaprCallbackApp.StartAsync();
            app.Respond = _ => throw new RpcException(new Status(StatusCode.NotFound, "no such customer"));
            await using var targetSidecar = await TestSidecar.StartAsync(target, BrokerFixture.Settings(), app.Port);
            await targetSidecar.WaitUntilServingInvocationsAsync();
            await using var callerSidecar = await TestSidecar.StartAsync(BrokerFixture.UniqueAppId("sdk-caller"), BrokerFixture.Settings());
            using var dapr = SdkClients.For(callerSidecar);

            var error = await Assert.ThrowsAsync<InvocationException>(() =>
                dapr.InvokeMethodGrpcAsync<StringValue, StringValue>(target, "customer", new StringValue { Value = "42" }));

            var rpc = Assert.IsType<RpcException>(error.InnerException);
            Assert.Equal(StatusCode.NotFound, rpc.StatusCode);
            Assert.Equal("no such customer", rpc.Status.Detail);
            Assert.Equal(target, error.AppId);
        }
        finally
        {
            await broker.DeleteInvokeEntitiesAsync(target);
        }
    }

    [Fact]
    public async Task InvokeMethodGrpc_NoReplicaOfTheApp_InvocationExceptionWithUnavailable()
    {
        var target = BrokerFixture.UniqueAppId("sdk-absent");
        try
        {
            await using var callerSidecar = await TestSidecar.StartAsync(BrokerFixture.UniqueAppId("sdk-caller"), BrokerFixture.Settings());
            using var dapr = SdkClients.For(callerSidecar);

            var error = await Assert.ThrowsAsync<InvocationException>(() => dapr.InvokeMethodGrpcAsync(target, "ping"));

            Assert.Equal(StatusCode.Unavailable, Assert.IsType<RpcException>(error.InnerException).StatusCode);
        }
        finally
        {
            await broker.DeleteInvokeEntitiesAsync(target);
        }
    }
}
