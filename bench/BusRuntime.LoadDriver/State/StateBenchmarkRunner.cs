using BusRuntime.Core.Configuration;
using BusRuntime.Core.State;
using BusRuntime.Core.Stores;
using BusRuntime.LoadDriver.Load;
using BusRuntime.LoadDriver.Reporting;
using BusRuntime.LoadDriver.Sidecar;
using BusRuntime.Protos.V1;
using BusRuntime.Stores.InMemory.State;
using BusRuntime.Stores.Postgres;
using BusRuntime.Stores.Redis;
using Google.Protobuf;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BusRuntime.LoadDriver.State;

/// <summary>
/// The state benchmark: for each backend, a sidecar (child process) and the same kind of store in this
/// process, seeded with the same keys; then get and save at each concurrency, both paths in every round,
/// the order alternating. What the sidecar adds is the difference.
/// </summary>
public sealed class StateBenchmarkRunner(StateBenchmarkSettings settings, TextWriter progress)
{
    private const int SeedBatch = 100;

    public async Task<IReadOnlyList<StateComparison>> RunAsync(CancellationToken cancellationToken)
    {
        var comparisons = new List<StateComparison>();
        foreach (var backend in settings.Backends)
        {
            comparisons.AddRange(await RunAsync(backend, cancellationToken));
        }

        return comparisons;
    }

    private async Task<IReadOnlyList<StateComparison>> RunAsync(StateBackend backend, CancellationToken cancellationToken)
    {
        var schema = $"bench_{Guid.NewGuid():N}"[..24];
        var onPostgres = backend == StateBackend.Postgres;
        var onRedis = backend == StateBackend.Redis;
        var environment = new Dictionary<string, string> { ["BusRuntime__PostgresSchema"] = schema };
        if (onRedis)
        {
            environment["BusRuntime__Components__0__Name"] = RedisComponent.Name;
            environment["BusRuntime__Components__0__Type"] = RedisComponent.Type;
            environment["BusRuntime__Components__0__Metadata__redisHost"] = settings.Redis;
        }

        await using var sidecar = SidecarProcess.Start(
            settings.SidecarPath,
            StateBenchmarkSettings.AppId,
            onPostgres ? ["--postgres", settings.Postgres] : [],
            environment);
        await sidecar.WaitUntilReadyAsync(settings.StartupTimeout, cancellationToken);
        await Progress($"{backend}: sidecar (pid {sidecar.ProcessId}) ready{(onPostgres ? $", schema {schema}" : "")}");

        await using var services = new ServiceCollection()
            .Configure<StoreOptions>(options =>
            {
                options.Postgres = settings.Postgres;
                options.PostgresSchema = schema;
            })
            .AddBusRuntimePostgresStores()
            .AddBusRuntimeRedisStores()
            .BuildServiceProvider();
        var store = backend switch
        {
            StateBackend.Postgres => services.GetServices<IStoreFactory<IStateStore>>().Single(factory => factory.Type == ComponentTypes.StatePostgres)
                .Create(new ComponentOptions { Name = "statestore", Type = ComponentTypes.StatePostgres }),
            StateBackend.Redis => services.GetServices<IStoreFactory<IStateStore>>().Single(factory => factory.Type == ComponentTypes.StateRedis)
                .Create(RedisComponent),
            _ => new InMemoryStateStore(TimeProvider.System),
        };
        try
        {
            var value = new byte[settings.ValueBytes];
            new Random(value.Length).NextBytes(value);
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{sidecar.GrpcPort}");
            var client = new Runtime.RuntimeClient(channel);
            await SeedAsync(client, store, value, onPostgres || onRedis, cancellationToken);

            var comparisons = new List<StateComparison>();
            foreach (var concurrency in settings.Concurrencies)
            {
                var phase = new LoadPhase(concurrency, settings.PhaseTimeout, new CpuClocks(sidecar, null));
                foreach (var save in new[] { false, true })
                {
                    var inProcess = new InProcessStateTarget(store, save, settings.Keys, value);
                    var viaSidecar = new SidecarStateTarget(client, save, settings.Keys, ByteString.CopyFrom(value));
                    var measured = await CompareAsync(phase, inProcess, (viaSidecar, sidecar), concurrency, cancellationToken);
                    comparisons.Add(new StateComparison(backend, save ? "save" : "get", concurrency, measured[inProcess], measured[viaSidecar]));
                }
            }

            return comparisons;
        }
        finally
        {
            if (onPostgres)
            {
                await DropSchemaAsync(schema);
            }

            if (onRedis)
            {
                await DeleteKeysAsync(store);
            }
        }
    }

    /// <summary>The Redis backend's component, the same in the sidecar and in this process, so both read the same keys.</summary>
    private ComponentOptions RedisComponent => new()
    {
        Name = "statestore",
        Type = ComponentTypes.StateRedis,
        Metadata = new(StringComparer.OrdinalIgnoreCase) { [RedisMetadata.Host] = settings.Redis },
    };

    private async Task DeleteKeysAsync(IStateStore store)
    {
        for (var first = 0; first < settings.Keys; first += SeedBatch)
        {
            await store.ApplyAsync(
                [.. Enumerable.Range(first, Math.Min(SeedBatch, settings.Keys - first)).Select(index => StateWrite.Delete($"{StateBenchmarkSettings.AppId}||key-{index}", StatePrecondition.None))],
                CancellationToken.None);
        }
    }

    private async Task<Dictionary<ILoadTarget, ModeResult>> CompareAsync(
        LoadPhase phase, ILoadTarget inProcess, (ILoadTarget Target, SidecarProcess Process) sidecar, int concurrency, CancellationToken cancellationToken)
    {
        var viaSidecar = sidecar.Target;
        var phases = new Dictionary<ILoadTarget, List<PhaseMeasurement>> { [inProcess] = [], [viaSidecar] = [] };
        foreach (var target in phases.Keys)
        {
            await phase.RunAsync(target, settings.Warmup, cancellationToken);
            await new JitSettledWarmUp(target == viaSidecar ? [sidecar.Process] : [], Progress).RunAsync(
                target.Name, JitSettledWarmUp.BatchCalls(settings.Warmup), (calls, token) => phase.RunAsync(target, calls, token), cancellationToken);
        }

        for (var round = 1; round <= settings.Rounds; round++)
        {
            // Alternate the order so that whatever drifts during a run does not always favour the same path.
            foreach (var target in round % 2 == 1 ? new[] { inProcess, viaSidecar } : [viaSidecar, inProcess])
            {
                var measured = await phase.RunAsync(target, settings.Calls, cancellationToken);
                phases[target].Add(measured);
                await Progress($"  round {round}/{settings.Rounds} {target.Name}, {concurrency} callers: {ModeResult.Throughput(measured):0} calls/s");
            }
        }

        return phases.ToDictionary(pair => pair.Key, pair => ModeResult.From(pair.Value));
    }

    private async Task SeedAsync(Runtime.RuntimeClient client, IStateStore store, byte[] value, bool shared, CancellationToken cancellationToken)
    {
        for (var first = 0; first < settings.Keys; first += SeedBatch)
        {
            var keys = Enumerable.Range(first, Math.Min(SeedBatch, settings.Keys - first)).Select(index => $"key-{index}").ToList();
            var request = new SaveStateRequest { StoreName = "statestore" };
            request.States.AddRange(keys.Select(key => new StateItem { Key = key, Value = ByteString.CopyFrom(value) }));
            await client.SaveStateAsync(request, cancellationToken: cancellationToken);
            if (!shared)
            {
                await store.ApplyAsync(
                    [.. keys.Select(key => StateWrite.Upsert($"{StateBenchmarkSettings.AppId}||{key}", value, StatePrecondition.None, StateExpiry.Keep))],
                    cancellationToken);
            }
        }
    }

    private async Task DropSchemaAsync(string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(settings.Postgres);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    private async Task Progress(string message) => await progress.WriteLineAsync(message);
}
