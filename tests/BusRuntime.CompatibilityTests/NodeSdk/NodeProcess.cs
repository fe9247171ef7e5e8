using System.Diagnostics;
using System.Text;

namespace BusRuntime.CompatibilityTests.NodeSdk;

/// <summary>A running <c>node script</c>; disposing it kills it (and its children) if it still runs.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder errors = new();
    private readonly Lock gate = new();

    private NodeProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, line) => Append(output, line.Data);
        process.ErrorDataReceived += (_, line) => Append(errors, line.Data);
    }

    public string Output
    {
        get
        {
            lock (gate)
            {
                return output.ToString();
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (gate)
            {
                return errors.ToString();
            }
        }
    }

    /// <summary>Starts node as <paramref name="start"/> says, reading its output and errors.</summary>
    public static NodeProcess Start(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = new Process { StartInfo = start };
        var node = new NodeProcess(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Waits until the script prints a line containing <paramref name="text"/>; fails with its output after <paramref name="timeout"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"node did not print '{text}' (exited: {process.HasExited}).\nstdout:\n{Output}\nstderr:\n{Errors}");
            }

            await Task.Delay(50);
        }
    }

    public async Task<NodeResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"node did not exit within {timeout.TotalSeconds}s.\nstdout:\n{Output}\nstderr:\n{Errors}");
        }

        // WaitForExit without a timeout also waits until the redirected streams are read to their end.
        await process.WaitForExitAsync(CancellationToken.None);
        return new NodeResult(process.ExitCode, Output, Errors);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            target.AppendLine(line);
        }
    }
}
