using BusRuntime.Testing;
using Dapr.Client;

namespace BusRuntime.CompatibilityTests.Fixtures;

/// <summary>Dapr .NET SDK clients built exactly as an app builds them, pointed at a test sidecar's ports.</summary>
public static class SdkClients
{
    public static DaprClient For(TestSidecar sidecar, string? apiToken = null)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        var builder = new DaprClientBuilder()
            .UseGrpcEndpoint($"http://127.0.0.1:{sidecar.GrpcPort}")
            .UseHttpEndpoint($"http://127.0.0.1:{sidecar.HttpPort}");
        if (apiToken is not null)
        {
            builder.UseDaprApiToken(apiToken);
        }

        return builder.Build();
    }
}
