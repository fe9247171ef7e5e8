using Google.Protobuf.Reflection;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Surface;

/// <summary>One rpc the gRPC port maps, with its request message's descriptor.</summary>
public sealed record GrpcRpc(string Service, string Name, MethodType Type, MessageDescriptor Input)
{
    public string FullName => $"/{Service}/{Name}";

    public bool IsReflection => Service.StartsWith("grpc.reflection.", StringComparison.Ordinal);
}
