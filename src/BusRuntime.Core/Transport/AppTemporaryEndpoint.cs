using MassTransit;

namespace BusRuntime.Core.Transport;

/// <summary>
/// A temporary endpoint of this sidecar (auto-delete, not durable, one consumer's), named under its app's prefix
/// as <c>busruntime.app.{appId}.{tag}-{random}</c> rather than after the machine and process as MassTransit's
/// temporary endpoints are: a broker user restricted to its app's names can declare and consume it, and no other
/// app's user can, nor guess its name.
/// </summary>
public sealed class AppTemporaryEndpoint(string appId, string tag) : IEndpointDefinition
{
    private readonly string name = $"busruntime.app.{appId}.{tag}-{Guid.NewGuid():N}";

    public bool IsTemporary => true;

    public int? PrefetchCount => null;

    public int? ConcurrentMessageLimit => null;

    public bool ConfigureConsumeTopology => true;

    public string GetEndpointName(IEndpointNameFormatter formatter) => name;

    public void Configure<T>(T configurator, IRegistrationContext? context)
        where T : IReceiveEndpointConfigurator
    {
    }
}
