using System.Diagnostics;
using System.Globalization;

namespace BusRuntime.LoadDriver.Sidecar;

/// <summary>
/// The sidecar as a child process, started exactly as a user starts it (<c>dotnet busruntime.dll run …</c>),
/// with its output kept for the error message if it does not come up. The stack floor (bench/BusRuntime.StackFloor)
/// takes the same command line and answers the same readiness path, so it is started the same way.
/// </summary>
public sealed class SidecarProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 40;
    private static readonly TimeSpan ReadinessPollInterval = TimeSpan.FromMilliseconds(20);

    private readonly Process process;
    private readonly HttpClient http;
    private readonly Queue<string> output = new();
    private readonly Lock outputGate = new();
    private readonly long startedAt;

    private SidecarProcess(Process process, int grpcPort, int httpPort, long startedAt)
    {
        this.process = process;
        this.startedAt = startedAt;
        GrpcPort = grpcPort;
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(5) };
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int ProcessId => process.Id;

    public int GrpcPort { get; }

    /// <summary>The CPU time (user and kernel) the sidecar has used so far; zero once it has exited.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            process.Refresh();
            return process.HasExited ? TimeSpan.Zero : process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// Starts the sidecar on free loopback ports with the <c>run</c> options given (e.g. --transport RabbitMq)
    /// and, when given, environment variables (e.g. BusRuntime__PostgresSchema).
    /// </summary>
    public static SidecarProcess Start(string sidecarPath, string appId, IEnumerable<string> options, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(sidecarPath))
        {
            throw new LoadDriverException(
                $"the sidecar '{sidecarPath}' does not exist; build it with 'dotnet build -c Release src/BusRuntime.Sidecar' or name it with --sidecar-path.");
        }

        var grpcPort = FreePort.Next();
        var httpPort = FreePort.Next();
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            sidecarPath, "run", "--app-id", appId,
            "--grpc-port", grpcPort.ToString(CultureInfo.InvariantCulture), "--http-port", httpPort.ToString(CultureInfo.InvariantCulture),
            .. options,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new LoadDriverException($"the sidecar '{sidecarPath}' did not start.");
        return new SidecarProcess(process, grpcPort, httpPort, startedAt);
    }

    /// <summary>Polls /actuator/health/readiness until it answers 200; returns the time since the process started.</summary>
    public async Task<TimeSpan> WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var lastAnswer = "no answer yet";
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new LoadDriverException($"the sidecar exited with code {process.ExitCode} before it was ready. Its output:{Environment.NewLine}{KeptOutput()}");
                }

                try
                {
                    using var response = await http.GetAsync(new Uri("/actuator/health/readiness", UriKind.Relative), deadline.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return Stopwatch.GetElapsedTime(startedAt);
                    }

                    lastAnswer = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(deadline.Token)}";
                }
                catch (HttpRequestException notListening)
                {
                    lastAnswer = notListening.Message;
                }
                catch (TaskCanceledException slow) when (!deadline.IsCancellationRequested)
                {
                    lastAnswer = slow.Message;
                }

                await Task.Delay(ReadinessPollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new LoadDriverException(
                $"the sidecar was not ready within {timeout.TotalSeconds:0}s (last readiness answer: {lastAnswer}). Its output:{Environment.NewLine}{KeptOutput()}");
        }
    }

    /// <summary>
    /// The bytes the sidecar's runtime has allocated since it started (GC.GetTotalAllocatedBytes, exact to a few KiB per
    /// thread), from the System.Runtime meter on its /metrics; the difference of two readings over a phase, divided by
    /// its calls, is the allocation per call.
    /// </summary>
    public async Task<long> AllocatedBytesAsync(CancellationToken cancellationToken)
    {
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        return RuntimeCounters.AllocatedBytes(metrics)
            ?? throw new LoadDriverException($"the sidecar's /metrics has no {RuntimeCounters.AllocatedBytesMetric} (the System.Runtime meter); is it an older build?");
    }

    /// <summary>How many methods the sidecar's JIT has compiled since it started (every tier counted), from its /metrics.</summary>
    public async Task<long> CompiledMethodsAsync(CancellationToken cancellationToken)
    {
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        return RuntimeCounters.CompiledMethods(metrics)
            ?? throw new LoadDriverException($"the sidecar's /metrics has no {RuntimeCounters.CompiledMethodsMetric} (the System.Runtime meter); is it an older build?");
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            using var exitWait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(exitWait.Token);
            }
            catch (OperationCanceledException)
            {
                // Killed but not reaped in time; nothing more can be done from here.
            }
        }

        process.Dispose();
    }

    // The dotnet host running this driver, so the sidecar runs on the same runtime.
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (outputGate)
        {
            output.Enqueue(line);
            if (output.Count > KeptOutputLines)
            {
                output.Dequeue();
            }
        }
    }

    private string KeptOutput()
    {
        lock (outputGate)
        {
            return output.Count == 0 ? "(none)" : string.Join(Environment.NewLine, output);
        }
    }
}
