using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.Hello;

/// <summary>
/// hello.helloworld, as Layotto's helloworld: the configured greeting (metadata hello, "greeting" unless set, as in
/// Layotto's quickstart), followed by ", {name}" when a name is given.
/// </summary>
public sealed class HelloWorld(string greeting) : IHelloService
{
    /// <summary>The metadata key of the greeting (Layotto's).</summary>
    public const string GreetingKey = "hello";

    public const string DefaultGreeting = "greeting";

    public static HelloWorld Create(ComponentOptions component) => new(ComponentMetadata.GetString(component, GreetingKey) ?? DefaultGreeting);

    public Task<string> SayHelloAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Task.FromResult(name.Length == 0 ? greeting : $"{greeting}, {name}");
    }
}
