using System.Text.Json;
using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests;

/// <summary>Reads a sidecar's readiness report.</summary>
internal static class Readiness
{
    /// <summary>The overall status and the status of one component, e.g. ("DOWN", "DOWN") for statestore.</summary>
    public static async Task<(int HttpStatus, string Status, string? Component)> ReadAsync(TestSidecar sidecar, string component)
    {
        using var response = await sidecar.Http.GetAsync(new Uri("/actuator/health/readiness", UriKind.Relative));
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var status = report.RootElement.GetProperty("status").GetString()!;
        var componentStatus = report.RootElement.GetProperty("components").TryGetProperty(component, out var entry)
            ? entry.GetProperty("status").GetString()
            : null;
        return ((int)response.StatusCode, status, componentStatus);
    }

    public static Task WaitForAsync(TestSidecar sidecar, string component, string status, TimeSpan timeout) =>
        Poll.UntilAsync(
            async () => (await ReadAsync(sidecar, component)).Component == status,
            timeout,
            () => $"{component} did not become {status}");
}
