using System.Reflection;
using BusRuntime.Hosting.Ports;
using BusRuntime.Testing;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Sidecar.Tests.Surface;

/// <summary>
/// Everything a sidecar serves, read from its route table: the HTTP port's routes and verbs, and every rpc of
/// every service the gRPC port maps with its request's descriptor. Tests that walk it cover endpoints added later.
/// </summary>
public static class SidecarSurface
{
    public static IReadOnlyList<HttpRoute> HttpRoutes(TestSidecar sidecar)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        return [.. Endpoints(sidecar, sidecar.HttpPort)
            .Select(endpoint => new HttpRoute(
                endpoint.RoutePattern,
                endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } verbs ? [.. verbs] : HttpRoute.AnyVerb))
            .OrderBy(route => route.Text, StringComparer.Ordinal)];
    }

    public static IReadOnlyList<GrpcRpc> GrpcRpcs(TestSidecar sidecar)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        var services = ServiceDescriptors();
        var rpcs = new List<GrpcRpc>();
        foreach (var endpoint in Endpoints(sidecar, sidecar.GrpcPort))
        {
            if (endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is not { } grpc)
            {
                continue;
            }

            var service = services.TryGetValue(grpc.Method.ServiceName, out var found)
                ? found
                : throw new InvalidOperationException($"no descriptor of service {grpc.Method.ServiceName} is loaded; the tests cannot build its requests.");
            var method = service.FindMethodByName(grpc.Method.Name)
                ?? throw new InvalidOperationException($"service {grpc.Method.ServiceName} has no method {grpc.Method.Name} in its descriptor.");
            rpcs.Add(new GrpcRpc(grpc.Method.ServiceName, grpc.Method.Name, grpc.Method.Type, method.InputType));
        }

        return [.. rpcs.OrderBy(rpc => rpc.FullName, StringComparer.Ordinal)];
    }

    /// <summary>The endpoints served on <paramref name="port"/>, as the sidecar's route table has them.</summary>
    public static IEnumerable<RouteEndpoint> Endpoints(TestSidecar sidecar, int port)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        return sidecar.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<ServedOnPort>()?.Port == port);
    }

    // Every service of every generated file loaded in the process (the sidecar's protos, gRPC reflection's).
    private static Dictionary<string, Google.Protobuf.Reflection.ServiceDescriptor> ServiceDescriptors() =>
        AppDomain.CurrentDomain.GetAssemblies()
            .Where(assembly => !assembly.IsDynamic && assembly.GetReferencedAssemblies().Any(name => name.Name == "Google.Protobuf"))
            .SelectMany(Types)
            .Select(type => type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(property => property?.PropertyType == typeof(FileDescriptor))
            .Select(property => (FileDescriptor)property!.GetValue(null)!)
            .SelectMany(file => file.Services)
            .DistinctBy(service => service.FullName)
            .ToDictionary(service => service.FullName, StringComparer.Ordinal);

    private static IEnumerable<Type> Types(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException exception)
        {
            return exception.Types.OfType<Type>();
        }
    }
}
