using System.Diagnostics;

namespace BusRuntime.Sidecar.Tests.Commands;

/// <summary>Runs the built busruntime executable as an operator would, with its own environment.</summary>
internal static class BuiltCommand
{
    /// <param name="environment">Variables to set (a null value removes one); the API and operator token variables are cleared first.</param>
    /// <param name="args">The command line after the executable.</param>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "busruntime.dll"));
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("BusRuntime__ApiToken");
        start.Environment.Remove("DAPR_API_TOKEN");
        start.Environment.Remove("BusRuntime__OperatorToken");
        start.Environment.Remove("BUSRUNTIME_OPERATOR_TOKEN");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"busruntime {string.Join(' ', args)} did not exit within 2 minutes; it printed: {await output} {await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
