namespace BusRuntime.Core.Hello;

/// <summary>A greeting component (Layotto's hello components): answers a name with a greeting.</summary>
public interface IHelloService
{
    /// <summary>The greeting for <paramref name="name"/> (the bare greeting when it is empty).</summary>
    Task<string> SayHelloAsync(string name, CancellationToken cancellationToken);
}
