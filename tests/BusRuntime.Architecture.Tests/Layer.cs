using System.Reflection;

namespace BusRuntime.Architecture.Tests;

/// <summary>One assembly of the runtime, its root namespace and the runtime assemblies its types may use.</summary>
public sealed record Layer(string AssemblyName, string Namespace, IReadOnlyList<string> MayUse)
{
    public Assembly Load() => Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, AssemblyName + ".dll"));

    public override string ToString() => AssemblyName;
}
