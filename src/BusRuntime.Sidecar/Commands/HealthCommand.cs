using System.CommandLine;
using System.Text.Json;

namespace BusRuntime.Sidecar.Commands;

/// <summary>
/// <c>busruntime health</c>: a sidecar's readiness from its actuator (/actuator/health/readiness), which
/// is where the sidecar itself decides whether it is ready. Exit code 0 when UP, 1 otherwise.
/// </summary>
public static class HealthCommand
{
    public const string DefaultActuator = "http://127.0.0.1:3500";

    public static Command Create()
    {
        var http = new Option<Uri>("--http")
        {
            Description = $"The sidecar's actuator (HTTP) address. Default: {DefaultActuator}.",
            DefaultValueFactory = _ => new Uri(DefaultActuator),
            CustomParser = SidecarCall.Url,
        };
        var command = new Command("health", "Is the sidecar ready? Prints each component's state; exit code 0 when UP, 1 otherwise.\n\nExample:\n  busruntime health --http http://127.0.0.1:3500")
        {
            http,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var actuator = result.GetRequiredValue(http);
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            using var client = new HttpClient { BaseAddress = actuator, Timeout = TimeSpan.FromSeconds(10) };
            try
            {
                using var response = await client.GetAsync(new Uri("/actuator/health/readiness", UriKind.Relative), cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                using var report = JsonDocument.Parse(body);
                var status = report.RootElement.GetProperty("status").GetString() ?? "UNKNOWN";
                await output.WriteLineAsync($"{status} {actuator}");
                if (report.RootElement.TryGetProperty("components", out var components))
                {
                    foreach (var component in components.EnumerateObject())
                    {
                        var state = component.Value.TryGetProperty("status", out var value) ? value.GetString() : "?";
                        var detail = component.Value.TryGetProperty("details", out var details) ? $" {details}" : "";
                        await output.WriteLineAsync($"  {component.Name}: {state}{detail}");
                    }
                }

                return status == "UP" ? 0 : 1;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                await error.WriteLineAsync($"busruntime: cannot read the readiness of the sidecar at {actuator} ({exception.Message}). Is it running? Pick another with --http URL.");
                return 1;
            }
        });
        return command;
    }
}
