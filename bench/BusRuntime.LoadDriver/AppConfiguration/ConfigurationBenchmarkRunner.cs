using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using BusRuntime.LoadDriver.Sidecar;
using BusRuntime.Protos.V1;
using Grpc.Net.Client;
using Npgsql;

namespace BusRuntime.LoadDriver.AppConfiguration;

/// <summary>
/// The configuration benchmark: two sidecars (child processes) on RabbitMQ sharing "configstore" on
/// PostgreSQL. One change at a time is saved through the first; the time until the second's
/// SubscribeConfiguration stream delivers it is its propagation delay. Nothing else runs meanwhile, so the
/// numbers are the path's own latency, not queueing.
/// </summary>
public sealed class ConfigurationBenchmarkRunner(ConfigurationBenchmarkSettings settings, TextWriter progress)
{
    private const string Store = "configstore";

    public async Task<PropagationResult> RunAsync(CancellationToken cancellationToken)
    {
        var schema = $"bench_{Guid.NewGuid():N}"[..24];
        string[] options = ["--transport", "RabbitMq", "--rabbitmq", settings.RabbitMq, "--postgres", settings.Postgres];
        var environment = new Dictionary<string, string> { ["BusRuntime__PostgresSchema"] = schema };
        try
        {
            await using var writer = SidecarProcess.Start(settings.SidecarPath, "bench-writer", options, environment);
            await using var reader = SidecarProcess.Start(settings.SidecarPath, "bench-reader", options, environment);
            await writer.WaitUntilReadyAsync(settings.StartupTimeout, cancellationToken);
            await reader.WaitUntilReadyAsync(settings.StartupTimeout, cancellationToken);
            await Progress($"sidecars ready (pids {writer.ProcessId}, {reader.ProcessId}), schema {schema}");

            using var writerChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{writer.GrpcPort}");
            using var readerChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{reader.GrpcPort}");
            var runtime = new Runtime.RuntimeClient(writerChannel);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var call = new Runtime.RuntimeClient(readerChannel).SubscribeConfiguration(cancellationToken: stop.Token);
            await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = Store, AppId = ConfigurationBenchmarkSettings.AppId }, cancellationToken);
            if (!await call.ResponseStream.MoveNext(cancellationToken))
            {
                throw new LoadDriverException("the subscriber's sidecar ended the configuration stream before its first response.");
            }

            var arrivals = Channel.CreateUnbounded<(string Content, long At)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var receiving = ReceiveAsync(call.ResponseStream, arrivals.Writer, stop.Token);
            try
            {
                return await MeasureAsync(runtime, arrivals.Reader, cancellationToken);
            }
            finally
            {
                await stop.CancelAsync();
                await receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            await DropSchemaAsync(schema);
        }
    }

    private async Task<PropagationResult> MeasureAsync(Runtime.RuntimeClient runtime, ChannelReader<(string Content, long At)> arrivals, CancellationToken cancellationToken)
    {
        var propagation = new List<long>(settings.Changes);
        var saves = new List<long>(settings.Changes);
        for (var change = 0; change < settings.Warmup + settings.Changes; change++)
        {
            var content = change.ToString(CultureInfo.InvariantCulture);
            var started = Stopwatch.GetTimestamp();
            await runtime.SaveConfigurationAsync(
                new SaveConfigurationRequest
                {
                    StoreName = Store,
                    AppId = ConfigurationBenchmarkSettings.AppId,
                    Items = { new ConfigurationItem { Key = $"key-{change % settings.Keys}", Content = content } },
                },
                cancellationToken: cancellationToken);
            var saved = Stopwatch.GetTimestamp();
            var arrived = await ArrivalOfAsync(arrivals, content, cancellationToken);
            if (change >= settings.Warmup)
            {
                propagation.Add(arrived - started);
                saves.Add(saved - started);
            }

            if ((change + 1) % 250 == 0)
            {
                await Progress($"  {change + 1} of {settings.Warmup + settings.Changes} changes ({settings.Warmup} warm-up)");
            }
        }

        return PropagationResult.From(propagation, saves);
    }

    private async Task<long> ArrivalOfAsync(ChannelReader<(string Content, long At)> arrivals, string content, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ChangeTimeout);
        try
        {
            while (true)
            {
                var (received, at) = await arrivals.ReadAsync(timeout.Token);
                if (received == content)
                {
                    return at;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LoadDriverException($"change {content} did not reach the subscriber within {settings.ChangeTimeout.TotalSeconds:0}s.");
        }
    }

    private static async Task ReceiveAsync(
        Grpc.Core.IAsyncStreamReader<SubscribeConfigurationResponse> responses, ChannelWriter<(string Content, long At)> arrivals, CancellationToken cancellationToken)
    {
        while (await responses.MoveNext(cancellationToken))
        {
            var at = Stopwatch.GetTimestamp();
            foreach (var item in responses.Current.Items)
            {
                arrivals.TryWrite((item.Content, at));
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
