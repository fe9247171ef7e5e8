using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.Resources;

/// <summary>
/// What reading the resource files needs to know of the rest of the configuration.
/// </summary>
/// <param name="AppId">The sidecar's app: a resource whose <c>scopes</c> do not list it is not loaded.</param>
/// <param name="Configured">The components configuration declares itself (BusRuntime:Components), whose names the files may not take again.</param>
/// <param name="Transport">BusRuntime:Transport when configuration sets it (not the default), to check a pubsub.rabbitmq component against.</param>
/// <param name="RabbitMq">BusRuntime:RabbitMq when configuration sets it, to check a pubsub.rabbitmq component's broker against.</param>
/// <param name="ReadSecret">
/// Reads secret <c>name</c> from a secret store component, for <c>secretKeyRef</c>: the value, or null when the store
/// lacks it; throws <see cref="InvalidOperationException"/> when the store cannot be read.
/// </param>
/// <param name="Environment">Reads an environment variable, for <c>envRef</c>.</param>
public sealed record ResourceContext(
    string AppId,
    IReadOnlyList<ComponentOptions> Configured,
    string? Transport,
    string? RabbitMq,
    Func<ComponentOptions, string, string?> ReadSecret,
    Func<string, string?> Environment);
