using BusRuntime.Testing;

namespace BusRuntime.Sidecar.Tests;

/// <summary>One sidecar on its embedded default (in-memory bus and stores) shared by a test class; tests use their own keys.</summary>
public sealed class EmbeddedSidecar : IAsyncLifetime
{
    /// <summary>The sidecar's app: whose configuration it writes.</summary>
    public const string AppId = "embedded";

    private TestSidecar? sidecar;

    public TestSidecar Sidecar => sidecar ?? throw new InvalidOperationException("The sidecar has not started.");

    public async Task InitializeAsync() => sidecar = await TestSidecar.StartAsync(AppId, new Dictionary<string, string?> { ["BusRuntime:MaxPayloadBytes"] = "1024" });

    public async Task DisposeAsync()
    {
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }
    }

    /// <summary>A key no other test uses.</summary>
    public static string Key(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
