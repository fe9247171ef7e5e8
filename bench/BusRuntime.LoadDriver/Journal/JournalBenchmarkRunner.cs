using System.Globalization;
using BusRuntime.LoadDriver.Load;
using BusRuntime.LoadDriver.Reporting;
using BusRuntime.LoadDriver.Sidecar;
using BusRuntime.Protos.V1;
using Google.Protobuf;
using Grpc.Net.Client;
using Npgsql;

namespace BusRuntime.LoadDriver.Journal;

/// <summary>
/// Two sidecars on the same broker and database, identical but for the journal; both publish in every
/// round, the order alternating, to a topic of their own that nobody subscribes to.
/// </summary>
public sealed class JournalBenchmarkRunner(JournalBenchmarkSettings settings, TextWriter progress)
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromMinutes(5);

    public async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var schema = $"bench_{Guid.NewGuid():N}"[..24];
        try
        {
            await using var off = await StartAsync("bench-journal-off", schema, journal: false, cancellationToken);
            await using var on = await StartAsync("bench-journal-on", schema, journal: true, cancellationToken);
            using var offChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{off.GrpcPort}");
            using var onChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{on.GrpcPort}");
            var payload = ByteString.CopyFrom(new byte[settings.PayloadBytes]);
            var offTarget = new Named("journal off", new SidecarGrpcPublishTarget(new Runtime.RuntimeClient(offChannel), "pubsub", "bench-journal-off", payload));
            var onTarget = new Named("journal on (PostgreSQL)", new SidecarGrpcPublishTarget(new Runtime.RuntimeClient(onChannel), "pubsub", "bench-journal-on", payload));
            var offPhase = new LoadPhase(settings.Concurrency, PhaseTimeout, new CpuClocks(off, null));
            var onPhase = new LoadPhase(settings.Concurrency, PhaseTimeout, new CpuClocks(on, null));

            await offPhase.RunAsync(offTarget, settings.Warmup, cancellationToken);
            await onPhase.RunAsync(onTarget, settings.Warmup, cancellationToken);
            var batchCalls = JitSettledWarmUp.BatchCalls(settings.Warmup);
            await new JitSettledWarmUp([off], progress.WriteLineAsync).RunAsync(
                offTarget.Name, batchCalls, (calls, token) => offPhase.RunAsync(offTarget, calls, token), cancellationToken);
            var onSettling = await new JitSettledWarmUp([on], progress.WriteLineAsync).RunAsync(
                onTarget.Name, batchCalls, (calls, token) => onPhase.RunAsync(onTarget, calls, token), cancellationToken);
            var offRounds = new List<PhaseMeasurement>();
            var onRounds = new List<PhaseMeasurement>();
            for (var round = 1; round <= settings.Rounds; round++)
            {
                foreach (var journal in round % 2 == 1 ? new[] { false, true } : [true, false])
                {
                    var measured = journal
                        ? await onPhase.RunAsync(onTarget, settings.Messages, cancellationToken)
                        : await offPhase.RunAsync(offTarget, settings.Messages, cancellationToken);
                    (journal ? onRounds : offRounds).Add(measured);
                    await progress.WriteLineAsync($"round {round}/{settings.Rounds} {measured.Target}: {ModeResult.Throughput(measured):0} msg/s");
                }
            }

            var published = (long)(settings.Warmup + onSettling + (settings.Messages * settings.Rounds));
            var journaled = await CountJournaledAsync(schema, published, cancellationToken);
            await ReportAsync(output, ModeResult.From(offRounds), ModeResult.From(onRounds), offRounds, onRounds, published, journaled);
        }
        finally
        {
            await DropSchemaAsync(schema);
        }
    }

    private async Task<SidecarProcess> StartAsync(string appId, string schema, bool journal, CancellationToken cancellationToken)
    {
        var sidecar = SidecarProcess.Start(
            settings.SidecarPath,
            appId,
            ["--transport", "RabbitMq", "--rabbitmq", settings.RabbitMq, "--postgres", settings.Postgres],
            new Dictionary<string, string>
            {
                ["BusRuntime__PostgresSchema"] = schema,
                ["BusRuntime__Journal__Enabled"] = journal ? "true" : "false",
            });
        await sidecar.WaitUntilReadyAsync(StartupTimeout, cancellationToken);
        await progress.WriteLineAsync($"{appId}: sidecar (pid {sidecar.ProcessId}) ready, schema {schema}");
        return sidecar;
    }

    /// <summary>The journal writes behind the publishes: waits (a bounded while) for the last batches to land.</summary>
    private async Task<long> CountJournaledAsync(string schema, long published, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(settings.Postgres);
        long count = 0;
        for (var attempt = 0; attempt < 50 && count < published; attempt++)
        {
            await using var command = dataSource.CreateCommand($"SELECT count(*) FROM \"{schema}\".journal WHERE topic = 'bench-journal-on' AND outcome = 'sent'");
            count = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            await Task.Delay(100, cancellationToken);
        }

        return count;
    }

    private async Task ReportAsync(
        TextWriter output, ModeResult off, ModeResult on, List<PhaseMeasurement> offRounds, List<PhaseMeasurement> onRounds, long published, long journaled)
    {
        var ratios = offRounds.Zip(onRounds, (offRound, onRound) => ModeResult.Throughput(onRound) / ModeResult.Throughput(offRound)).Order().ToList();
        var median = ratios.Count % 2 == 1 ? ratios[ratios.Count / 2] : (ratios[(ratios.Count / 2) - 1] + ratios[ratios.Count / 2]) / 2;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""

            journal benchmark: {settings.Rounds} rounds x {settings.Messages} publishes per sidecar, {settings.Concurrency} callers, {settings.PayloadBytes} B payloads, {settings.Warmup} warm-up

            | sidecar | msg/s | p50 / p90 / p99 ms | sidecar CPU µs/msg |
            |---|---|---|---|
            | {off.Name} | {off.MessagesPerSecond:N0} | {off.P50Ms:0.00} / {off.P90Ms:0.00} / {off.P99Ms:0.00} | {off.SidecarCpuMicrosecondsPerMessage:0} |
            | {on.Name} | {on.MessagesPerSecond:N0} | {on.P50Ms:0.00} / {on.P90Ms:0.00} / {on.P99Ms:0.00} | {on.SidecarCpuMicrosecondsPerMessage:0} |

            on/off: {on.MessagesPerSecond / off.MessagesPerSecond:0.00} pooled, {median:0.00} median of rounds ({string.Join(", ", ratios.Select(ratio => ratio.ToString("0.00", CultureInfo.InvariantCulture)))})
            journaled: {journaled:N0} of {published:N0} published events have their 'sent' entry in PostgreSQL ({100.0 * journaled / published:0.0} %; the rest were dropped, counted in busruntime_journal_dropped_total)
            """));
        await FigureFile.AppendAsync(
            settings.FiguresPath,
            ("journal.ratio", on.MessagesPerSecond / off.MessagesPerSecond),
            ("journal.ratio_median", median),
            ("journal.journaled_share", (double)journaled / published));
    }

    private async Task DropSchemaAsync(string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(settings.Postgres);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A publish target under the label the report shows.</summary>
    private sealed class Named(string name, ILoadTarget target) : ILoadTarget
    {
        public string Name => name;

        public Task CallAsync(CancellationToken cancellationToken) => target.CallAsync(cancellationToken);
    }
}
