using BusRuntime.Testing;
using Dapr.Client.Autogen.Grpc.v1;
using Grpc.Core;
using Grpc.Net.Client;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>
/// A Dapr API BusRuntime does not serve (actors) answers UNIMPLEMENTED, never a hang; called through Dapr's own generated
/// client (Dapr.Protos), as the SDK's actor packages call it.
/// </summary>
public sealed class UnsupportedGrpcTests
{
    [Fact]
    public async Task GetActorState_NotServed_Unimplemented()
    {
        await using var sidecar = await TestSidecar.StartAsync("sdk-unsupported");
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{sidecar.GrpcPort}");
        var dapr = new Dapr.Client.Autogen.Grpc.v1.Dapr.DaprClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(
            () => dapr.GetActorStateAsync(new GetActorStateRequest { ActorType = "cart", ActorId = "1", Key = "items" }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }
}
