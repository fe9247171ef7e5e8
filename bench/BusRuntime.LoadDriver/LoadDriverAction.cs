using System.CommandLine;

namespace BusRuntime.LoadDriver;

/// <summary>The action every driver command runs its measurement in.</summary>
public static class LoadDriverAction
{
    /// <summary>
    /// Runs <paramref name="measure"/> (given standard error for progress) and exits 0; the driver's own
    /// failures and a cancellation become one line on standard error and exit code 1, never a stack trace.
    /// </summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Guarded(Func<ParseResult, TextWriter, CancellationToken, Task> measure) =>
        async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            try
            {
                await measure(result, error, cancellationToken);
                return 0;
            }
            catch (LoadDriverException failure)
            {
                await error.WriteLineAsync($"loaddriver: {failure.Message}");
                return 1;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("loaddriver: cancelled; nothing was measured.");
                return 1;
            }
        };
}
