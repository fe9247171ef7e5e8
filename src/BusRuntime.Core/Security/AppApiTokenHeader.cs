namespace BusRuntime.Core.Security;

/// <summary>Dapr's app API token: what the sidecar sends its app so the app knows a call comes from its sidecar.</summary>
public static class AppApiTokenHeader
{
    /// <summary>The variable daprd reads the token from, which BusRuntime reads too (BusRuntime:AppApiToken wins).</summary>
    public const string EnvironmentVariable = "APP_API_TOKEN";

    /// <summary>The header (gRPC metadata) every call to the app carries it in, as daprd sends it.</summary>
    public const string Name = "dapr-api-token";
}
