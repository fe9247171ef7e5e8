using System.Diagnostics;
using System.Globalization;
using System.Net;
using BusRuntime.Testing;

namespace BusRuntime.Sidecar.Tests.Commands;

/// <summary><c>busruntime console</c> as an operator starts it: the built executable, its tokens from the environment, stopped by a signal.</summary>
public sealed class ConsoleCommandTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Console_ApiTokenInTheEnvironment_ServesTheSidecarsPagesUntilSigterm()
    {
        await using var sidecar = await TestSidecar.StartAsync("console-app", new Dictionary<string, string?> { ["BusRuntime:ApiToken"] = "the-api-token" });
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "busruntime.dll"), "console", "--sidecar", $"http://127.0.0.1:{sidecar.GrpcPort}", "--port", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("BusRuntime__ApiToken");
        start.Environment.Remove("BusRuntime__OperatorToken");
        start.Environment.Remove("BUSRUNTIME_OPERATOR_TOKEN");
        start.Environment["DAPR_API_TOKEN"] = "the-api-token";
        using var process = Process.Start(start)!;
        try
        {
            var error = process.StandardError.ReadToEndAsync();
            var banner = await process.StandardOutput.ReadLineAsync().WaitAsync(Patience);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
            var page = await health.Content.ReadAsStringAsync();

            using var stop = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!;
            await stop.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(Patience);

            Assert.Equal($"BusRuntime console for the sidecar at http://127.0.0.1:{sidecar.GrpcPort}/ on http://127.0.0.1:{port}/ (Ctrl+C stops it).", banner);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Contains("console-app", page, StringComparison.Ordinal);
            Assert.Equal(0, process.ExitCode);
            Assert.Equal("", await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
