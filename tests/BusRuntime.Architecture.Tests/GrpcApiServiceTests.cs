using BusRuntime.Grpc.Dapr;
using BusRuntime.Grpc.Layotto;
using BusRuntime.Grpc.Runtime;
using NetArchTest.Rules;

namespace BusRuntime.Architecture.Tests;

/// <summary>
/// A gRPC API's service only picks, for each rpc, the primitive's façade (BusRuntime.Grpc's <c>*Rpcs</c>
/// classes) that every API shares; it never reaches a primitive itself, so another API is one more thin service.
/// </summary>
public sealed class GrpcApiServiceTests
{
    public static TheoryData<Type> ApiServices => [typeof(RuntimeService), typeof(DaprService), typeof(LayottoService)];

    [Theory]
    [MemberData(nameof(ApiServices))]
    public void ApiService_UsesNoPrimitiveDirectly(Type service)
    {
        var result = Types.InAssembly(service.Assembly).That().AreOfType(service)
            .ShouldNot().HaveDependencyOnAny("BusRuntime.Core", "BusRuntime.Contracts").GetResult();

        Assert.True(result.IsSuccessful, $"{service.Name} must delegate each rpc to its primitive's *Rpcs class; it uses Core or the contracts itself.");
    }
}
