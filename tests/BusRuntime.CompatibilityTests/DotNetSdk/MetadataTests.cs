using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>The Dapr .NET SDK's GetMetadataAsync, SetMetadataAsync and ShutdownSidecarAsync.</summary>
public sealed class MetadataTests
{
    [Fact]
    public async Task GetMetadata_Sidecar_AppIdAndEveryRegisteredComponent()
    {
        await using var sidecar = await TestSidecar.StartAsync("sdk-metadata");
        using var dapr = SdkClients.For(sidecar);

        var metadata = await dapr.GetMetadataAsync();

        Assert.Equal("sdk-metadata", metadata.Id);
        var components = metadata.Components.ToDictionary(component => component.Name, component => component.Type, StringComparer.Ordinal);
        Assert.Equal("state.in-memory", components["statestore"]);
        Assert.Contains("pubsub", components.Keys);
        Assert.Contains("lockstore", components.Keys);
        Assert.Contains("configstore", components.Keys);
        Assert.All(metadata.Components, component => Assert.Equal("v1", component.Version));
    }

    [Fact]
    public async Task SetMetadata_Attribute_GetMetadataReturnsItInExtended()
    {
        await using var sidecar = await TestSidecar.StartAsync("sdk-metadata");
        using var dapr = SdkClients.For(sidecar);

        await dapr.SetMetadataAsync("build", "2026.11.23");
        await dapr.SetMetadataAsync("build", "2026.11.24");
        var metadata = await dapr.GetMetadataAsync();

        Assert.Equal("2026.11.24", metadata.Extended["build"]);
    }

    [Fact]
    public async Task ShutdownSidecar_Call_ReturnsThenTheSidecarStops()
    {
        var sidecar = await TestSidecar.StartAsync("sdk-shutdown");
        await using (sidecar)
        {
            using var dapr = SdkClients.For(sidecar);
            var lifetime = sidecar.Services.GetRequiredService<IHostApplicationLifetime>();

            await dapr.ShutdownSidecarAsync();

            await Poll.UntilAsync(bool () => lifetime.ApplicationStopping.IsCancellationRequested, TimeSpan.FromSeconds(30), () => "the sidecar did not begin to stop after Shutdown");
        }
    }
}
