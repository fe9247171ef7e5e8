using System.Diagnostics;

namespace BusRuntime.CompatibilityTests.NodeSdk;

/// <summary>
/// The scripts under tests/BusRuntime.CompatibilityTests/node and their dependencies: the first test that
/// needs them runs <c>npm ci</c> there when node_modules lacks the pinned SDK, so a fresh checkout (and CI)
/// installs it from the lockfile. A machine without Node.js fails the tests with a message saying so.
/// </summary>
public static class NodeScripts
{
    private static readonly Lazy<Task> Installed = new(InstallAsync);

    /// <summary>The folder holding package.json, found above the test assembly in the repository.</summary>
    public static string Directory { get; } = FindDirectory();

    public static Task EnsureInstalledAsync() => Installed.Value;

    /// <summary>Starts <c>node script</c> in the scripts' folder with these environment variables.</summary>
    public static async Task<NodeProcess> StartAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        await EnsureInstalledAsync();
        return NodeProcess.Start(Directory, script, environment);
    }

    /// <summary>Runs a script to its end; fails the test with its output when it does not end in <paramref name="timeout"/>.</summary>
    public static async Task<NodeResult> RunAsync(string script, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        await using var process = await StartAsync(script, environment);
        return await process.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(90));
    }

    private static async Task InstallAsync()
    {
        await RunToolAsync("node", ["--version"], "Node.js is needed for the Dapr Node.js SDK tests: install Node.js 20 or later (with npm) and run the tests again.");
        if (File.Exists(Path.Combine(Directory, "node_modules", "@dapr", "dapr", "package.json")))
        {
            return;
        }

        await RunToolAsync("npm", ["ci", "--no-audit", "--no-fund"], $"npm ci in {Directory} failed; the Dapr Node.js SDK tests need its packages.");
    }

    private static async Task RunToolAsync(string tool, string[] arguments, string failure)
    {
        var start = new ProcessStartInfo(tool, arguments)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException(failure);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"{failure} ({tool} was not found: {exception.Message})", exception);
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{failure} {tool} exited with {process.ExitCode}: {await output} {await errors}");
            }
        }
    }

    private static string FindDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "BusRuntime.CompatibilityTests", "node");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/BusRuntime.CompatibilityTests/node was not found above {AppContext.BaseDirectory}.");
    }
}
