using BusRuntime.LoadDriver.Sidecar;

namespace BusRuntime.LoadDriver.Load;

/// <summary>
/// Goes on warming a path up, after its fixed warm-up, until the JIT has settled in the driver and in every sidecar the
/// path goes through: one more batch of calls at a time, until a batch in which none of them compiled more than
/// <see cref="SettledBelow"/> methods, or <see cref="MaxBatches"/> batches. Tiered compilation keeps recompiling hot
/// methods for many seconds under load (a sidecar compiles ~27,000 methods, 7–8 s of JIT CPU, in its first 20 s of
/// publishing); a round measured before that ends measures the JIT as much as the path.
/// </summary>
public sealed class JitSettledWarmUp(IReadOnlyList<SidecarProcess> sidecars, Func<string, Task> progress)
{
    /// <summary>Fewer methods than this compiled in a batch, in each process, and the JIT counts as settled.</summary>
    public const int SettledBelow = 50;

    public const int MaxBatches = 20;

    /// <summary>The calls in one batch: a quarter of the fixed warm-up, between 500 and 5,000; none without a warm-up.</summary>
    public static int BatchCalls(int warmup) => warmup <= 0 ? 0 : Math.Clamp(warmup / 4, 500, 5_000);

    /// <summary>Runs batches of <paramref name="batchCalls"/> calls through <paramref name="runBatch"/>; returns how many calls it made.</summary>
    public async Task<int> RunAsync(string name, int batchCalls, Func<int, CancellationToken, Task> runBatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runBatch);
        if (batchCalls <= 0)
        {
            return 0;
        }

        var before = await CompiledMethodsAsync(cancellationToken);
        for (var batch = 1; batch <= MaxBatches; batch++)
        {
            await runBatch(batchCalls, cancellationToken);
            var after = await CompiledMethodsAsync(cancellationToken);
            var compiled = after.Zip(before, (now, then) => now - then).Max();
            before = after;
            if (compiled < SettledBelow)
            {
                await progress($"warm-up {name}: JIT settled after {batch} more batch(es) of {batchCalls} calls ({compiled} methods compiled in the last)");
                return batch * batchCalls;
            }
        }

        await progress($"warm-up {name}: the JIT still compiled {SettledBelow}+ methods per batch after {MaxBatches} batches of {batchCalls} calls; measuring anyway");
        return MaxBatches * batchCalls;
    }

    private async Task<long[]> CompiledMethodsAsync(CancellationToken cancellationToken)
    {
        var counts = new long[sidecars.Count + 1];
        counts[0] = System.Runtime.JitInfo.GetCompiledMethodCount();
        for (var index = 0; index < sidecars.Count; index++)
        {
            counts[index + 1] = await sidecars[index].CompiledMethodsAsync(cancellationToken);
        }

        return counts;
    }
}
