using BusRuntime.Core.Errors;
using BusRuntime.Core.Stores;

namespace BusRuntime.Core.Hello;

/// <summary>
/// The SayHello primitive: the greeting of the hello component <c>service_name</c> names (ComponentNotFound when
/// none has that name, INVALID_ARGUMENT when it is empty), for a name of at most <see cref="MaxNameChars"/> characters.
/// </summary>
public sealed class HelloManager(NamedStores<IHelloService> components)
{
    public const int MaxNameChars = 1024;

    public Task<string> SayHelloAsync(string serviceName, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var component = components.Get(serviceName);
        if (name.Length > MaxNameChars)
        {
            throw RuntimeException.InvalidArgument($"name is {name.Length} characters, over the maximum of {MaxNameChars}.");
        }

        return component.Store.SayHelloAsync(name, cancellationToken);
    }
}
