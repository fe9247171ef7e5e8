using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.Resources;

/// <summary>A component read from a resource file: the file, its Dapr type and the BusRuntime component it became.</summary>
public sealed record DeclaredComponent(string File, string DaprType, ComponentOptions Component);
