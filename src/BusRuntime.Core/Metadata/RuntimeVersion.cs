using System.Reflection;

namespace BusRuntime.Core.Metadata;

/// <summary>The version the sidecar reports wherever it names itself: Dapr's metadata over gRPC and HTTP, and /actuator/info.</summary>
public static class RuntimeVersion
{
    /// <summary>
    /// The product version without the build's <c>+commit</c> suffix: Dapr reports a plain semantic version,
    /// and the SDKs and tools that read it compare it as one.
    /// </summary>
    public static string Current { get; } =
        typeof(RuntimeVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
