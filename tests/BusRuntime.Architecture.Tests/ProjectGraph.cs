namespace BusRuntime.Architecture.Tests;

/// <summary>
/// The project graph of docs/architecture.md: contracts ← Core ← {Protos, Transport, Stores.*, Bindings, Sagas} ← façades
/// {Grpc, Http, Actuator, AppCallback} ← Hosting (which alone composes everything) ← the busruntime executable.
/// A façade uses no other façade, store, transport or saga; what they share lives in Core (or, for the gRPC
/// messages, in Protos).
/// </summary>
public static class ProjectGraph
{
    private const string Contracts = "BusRuntime.Contracts";
    private const string Core = "BusRuntime.Core";
    private const string Protos = "BusRuntime.Protos";
    private const string Transport = "BusRuntime.Transport";
    private const string InMemoryStores = "BusRuntime.Stores.InMemory";
    private const string LocalStores = "BusRuntime.Stores.Local";
    private const string PostgresStores = "BusRuntime.Stores.Postgres";
    private const string RedisStores = "BusRuntime.Stores.Redis";
    private const string Bindings = "BusRuntime.Bindings";
    private const string Sagas = "BusRuntime.Sagas";
    private const string Grpc = "BusRuntime.Grpc";
    private const string Http = "BusRuntime.Http";
    private const string Actuator = "BusRuntime.Actuator";
    private const string AppCallback = "BusRuntime.AppCallback";
    private const string Hosting = "BusRuntime.Hosting";
    private const string Sidecar = "BusRuntime.Sidecar";

    public static IReadOnlyList<Layer> Layers { get; } =
    [
        new(Contracts, Contracts, []),
        new(Core, Core, [Contracts]),
        new(Protos, Protos, [Core, Contracts]),
        new(Transport, Transport, [Core, Contracts]),
        new(InMemoryStores, InMemoryStores, [Core, Contracts]),
        new(LocalStores, LocalStores, [Core, Contracts]),
        new(PostgresStores, PostgresStores, [Core, Contracts]),
        new(RedisStores, RedisStores, [Core, Contracts]),
        new(Bindings, Bindings, [Core, Contracts]),
        new(Sagas, Sagas, [Core, Contracts]),
        new(Grpc, Grpc, [Core, Contracts, Protos]),
        new(AppCallback, AppCallback, [Core, Contracts, Protos]),
        new(Http, Http, [Core, Contracts]),
        new(Actuator, Actuator, [Core, Contracts]),
        new(Hosting, Hosting, [Core, Contracts, Protos, Transport, InMemoryStores, LocalStores, PostgresStores, RedisStores, Bindings, Sagas, Grpc, AppCallback, Http, Actuator]),
        new("busruntime", Sidecar, [Core, Contracts, Protos, Transport, InMemoryStores, LocalStores, PostgresStores, RedisStores, Bindings, Sagas, Grpc, AppCallback, Http, Actuator, Hosting]),
    ];

    /// <summary>Every runtime namespace but <paramref name="layer"/>'s own and those it may use.</summary>
    public static string[] Forbidden(Layer layer) =>
        [.. Layers.Select(other => other.Namespace).Where(name => name != layer.Namespace && !layer.MayUse.Contains(name))];
}
