using System.Text.Json;

namespace BusRuntime.CompatibilityTests.NodeSdk;

/// <summary>How a Node.js script ended: its exit code and what it wrote.</summary>
public sealed record NodeResult(int ExitCode, string Output, string Errors)
{
    /// <summary>The JSON lines the script printed (the SDK's own log lines are left out).</summary>
    public IReadOnlyList<JsonElement> JsonLines() => JsonLinesOf(Output);

    /// <summary>The JSON lines of <paramref name="output"/>, as <see cref="JsonLines"/> reads them.</summary>
    public static IReadOnlyList<JsonElement> JsonLinesOf(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    /// <summary>Fails the test, showing everything the script wrote, unless it exited with 0.</summary>
    public NodeResult AssertSucceeded()
    {
        Assert.True(ExitCode == 0, $"node exited with {ExitCode}.\nstdout:\n{Output}\nstderr:\n{Errors}");
        return this;
    }
}
