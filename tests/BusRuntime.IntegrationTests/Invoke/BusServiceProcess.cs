using System.Diagnostics;

namespace BusRuntime.IntegrationTests.Invoke;

/// <summary>samples/BusRuntime.Samples.BusService as a child process, started as its README says, killed when disposed.</summary>
internal sealed class BusServiceProcess : IAsyncDisposable
{
    private readonly Process process;

    private BusServiceProcess(Process process) => this.process = process;

    public static BusServiceProcess Start(string appId)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { SamplePath(), "--app-id", appId, "--rabbitmq", RabbitMqFixture.Address, "--publish-every", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The bus service sample did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new BusServiceProcess(process);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            using var exitWait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(exitWait.Token);
        }

        process.Dispose();
    }

    // The sample's build next to this test's: same configuration (bin/<Configuration>/<framework>).
    private static string SamplePath()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        for (var directory = output; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BusRuntime.sln")))
            {
                var path = Path.Combine(directory.FullName, "samples", "BusRuntime.Samples.BusService", "bin", configuration, framework, "BusRuntime.Samples.BusService.dll");
                return File.Exists(path) ? path : throw new InvalidOperationException($"The bus service sample is not built at {path}.");
            }
        }

        throw new InvalidOperationException($"No BusRuntime.sln above {AppContext.BaseDirectory}.");
    }
}
