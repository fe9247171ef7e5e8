using System.CommandLine;
using BusRuntime.LoadDriver.Reporting;
using BusRuntime.LoadDriver.Sidecar;

namespace BusRuntime.LoadDriver.State;

/// <summary><c>busruntime-loaddriver state</c>: state get and save through the sidecar against the same store in-process.</summary>
public static class StateBenchmarkCommand
{
    public const string DefaultPostgres = "Host=127.0.0.1;Username=postgres;Password=postgres;Database=postgres";
    public const string DefaultRedis = "127.0.0.1:6379";

    public static Command Create()
    {
        var backends = new Option<StateBackend[]>("--backend")
        {
            Description = "The stores to measure: InMemory, Postgres, Redis, or any of them (all three by default).",
            DefaultValueFactory = _ => [StateBackend.InMemory, StateBackend.Postgres, StateBackend.Redis],
            AllowMultipleArgumentsPerToken = true,
        };
        var concurrency = new Option<int[]>("--concurrency")
        {
            Description = "Concurrent callers, one run each: 1 measures latency alone, more measures throughput. Default: 1 16.",
            DefaultValueFactory = _ => [1, 16],
            AllowMultipleArgumentsPerToken = true,
        };
        var calls = new Option<int>("--calls") { Description = "Measured calls per path, operation and round.", DefaultValueFactory = _ => 10_000 }.Bounded(1, 1_000_000);
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured calls per path and operation before the rounds; enough for the JIT to finish optimizing both paths.", DefaultValueFactory = _ => 20_000 }.Bounded(0, 1_000_000);
        var rounds = new Option<int>("--rounds") { Description = "Rounds; both paths run in each, the order alternating.", DefaultValueFactory = _ => 3 }.Bounded(1, 10);
        var keys = new Option<int>("--keys") { Description = "Keys seeded before the run; each call picks one at random.", DefaultValueFactory = _ => 1_000 }.Bounded(1, 100_000);
        var valueBytes = new Option<int>("--value-bytes") { Description = "Bytes of every value.", DefaultValueFactory = _ => 1_024 }.Bounded(1, 1_048_576);
        var postgres = new Option<string>("--postgres") { Description = "The PostgreSQL server for the Postgres backend (a schema of its own is created and dropped).", DefaultValueFactory = _ => DefaultPostgres };
        var redis = new Option<string>("--redis") { Description = "The Redis server (host:port) for the Redis backend, as a state.redis component's redisHost; the benchmark's keys are deleted at the end.", DefaultValueFactory = _ => DefaultRedis };
        var sidecarPath = new Option<string?>("--sidecar-path") { Description = "busruntime.dll to start as the sidecar. Default: the Release build of src/BusRuntime.Sidecar in this repository." };
        var figures = FigureFile.CreateOption();

        var command = new Command(
            "state",
            "Measures GetState and SaveState through the sidecar's gRPC API against the same kind of store called in this process, " +
            "in memory, on PostgreSQL and on Redis, and prints what the sidecar adds to p50 and p99 and its throughput ratio.")
        {
            backends, concurrency, calls, warmup, rounds, keys, valueBytes, postgres, redis, sidecarPath, figures,
        };
        concurrency.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int[]>() is { } callers && callers.Any(value => value is < 1 or > 256))
            {
                result.AddError("--concurrency values must be between 1 and 256.");
            }
        });
        command.SetAction(LoadDriverAction.Guarded(async (result, error, cancellationToken) =>
        {
            var settings = new StateBenchmarkSettings(
                [.. result.GetValue(backends)!.Distinct()],
                [.. result.GetValue(concurrency)!.Distinct()],
                result.GetValue(calls),
                result.GetValue(warmup),
                result.GetValue(rounds),
                result.GetValue(keys),
                result.GetValue(valueBytes),
                result.GetValue(postgres)!,
                result.GetValue(redis)!,
                result.GetValue(sidecarPath) ?? SidecarLocator.DefaultPath(),
                TimeSpan.FromSeconds(30),
                TimeSpan.FromMinutes(5));
            var comparisons = await new StateBenchmarkRunner(settings, error).RunAsync(cancellationToken);
            await StateReport.WriteAsync(settings, comparisons, result.InvocationConfiguration.Output);
            await FigureFile.AppendAsync(
                result.GetValue(figures),
                [.. comparisons.Where(comparison => comparison is { Operation: "get", Concurrency: 1 }).Select(get => ($"state.{get.Backend}.get_added_p50_ms", get.AddedP50Ms))]);
        }));
        return command;
    }
}
