using System.CommandLine;
using System.Text.Json;
using BusRuntime.Protos.V1;

namespace BusRuntime.Sidecar.Commands;

/// <summary>
/// <c>busruntime health</c>: a sidecar's readiness through busruntime.v1.Operations, the same report its actuator
/// serves at /actuator/health/readiness. Exit code 0 when UP, 1 otherwise.
/// </summary>
public static class HealthCommand
{
    /// <summary>How long to wait for the answer: a sidecar that cannot say within this is not ready.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Command Create(TimeProvider timeProvider)
    {
        var sidecar = SidecarCall.SidecarOption();
        var json = SidecarCall.JsonOption();
        var command = new Command(
            "health",
            "Is the sidecar ready? Prints its readiness (UP, INIT: not ready yet, DOWN: lost the broker or a database) and each " +
            "component's state; exit code 0 when UP, 1 otherwise or when the sidecar does not answer.\n\nExamples:\n" +
            "  busruntime health\n  busruntime health --sidecar http://127.0.0.1:50001 --json")
        {
            sidecar, json,
        };
        command.SetAction((result, cancellationToken) => SidecarCall.RunAsync(result, result.GetRequiredValue(sidecar), async (channel, _, token) =>
        {
            var report = await new Operations.OperationsClient(channel).GetHealthAsync(
                new GetHealthRequest(), deadline: timeProvider.GetUtcNow().UtcDateTime + Timeout, cancellationToken: token);
            var output = result.InvocationConfiguration.Output;
            var components = report.Components.OrderBy(component => component.Key, StringComparer.Ordinal).ToList();
            if (result.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(
                    new
                    {
                        status = report.Status,
                        components = components.ToDictionary(
                            component => component.Key,
                            component => new { status = component.Value.Status, details = component.Value.Details.OrderBy(detail => detail.Key, StringComparer.Ordinal).ToDictionary() }),
                    },
                    SidecarCall.ScriptJson));
            }
            else
            {
                await output.WriteLineAsync($"{report.Status} {result.GetRequiredValue(sidecar)}");
                foreach (var (name, component) in components)
                {
                    var details = component.Details.Count == 0 ? "" : $" {JsonSerializer.Serialize(component.Details.OrderBy(detail => detail.Key, StringComparer.Ordinal).ToDictionary())}";
                    await output.WriteLineAsync($"  {name}: {component.Status}{details}");
                }
            }

            return report.Status == "UP" ? 0 : 1;
        }, cancellationToken));
        return command;
    }
}
