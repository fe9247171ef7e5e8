using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr;
using Grpc.Core;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>A Dapr API BusRuntime does not serve answers UNIMPLEMENTED, which the SDK reports as a DaprException (never a hang).</summary>
public sealed class UnsupportedGrpcTests
{
    [Fact]
    public async Task InvokeBinding_NotServed_DaprExceptionWithUnimplemented()
    {
        await using var sidecar = await TestSidecar.StartAsync("sdk-unsupported");
        using var dapr = SdkClients.For(sidecar);

        var error = await Assert.ThrowsAsync<DaprException>(() => dapr.InvokeBindingAsync("kafka-binding", "create", new { Id = 1 }));

        Assert.Equal(StatusCode.Unimplemented, Assert.IsType<RpcException>(error.InnerException).StatusCode);
    }
}
