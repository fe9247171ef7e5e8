using System.Collections.Concurrent;
using System.Diagnostics;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Cluster;

/// <summary>
/// Publishers at a steady rate through one sidecar, recording every call: when it started and ended (on one clock),
/// and the message id it returned or the status it failed with.
/// </summary>
internal sealed class PublishLoad : IAsyncDisposable
{
    private readonly ConcurrentQueue<Call> calls = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task[] workers;

    private PublishLoad(TestSidecar publisher, string topic, int workers, TimeSpan pause)
    {
        this.workers = [.. Enumerable.Range(0, workers).Select(worker => Task.Run(() => PublishAsync(publisher, topic, worker, pause)))];
    }

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public IReadOnlyCollection<Call> Calls => calls;

    public IReadOnlyList<string> Accepted => [.. calls.Where(call => call.MessageId is not null).Select(call => call.MessageId!)];

    public static PublishLoad Start(TestSidecar publisher, string topic, int workers = 4, TimeSpan? pause = null) =>
        new(publisher, topic, workers, pause ?? TimeSpan.FromMilliseconds(20));

    /// <summary>The first publish that started at or after <paramref name="from"/> and was accepted, if any.</summary>
    public Call? FirstAcceptedStartedAfter(TimeSpan from) =>
        calls.Where(call => call.MessageId is not null && call.Started >= from).OrderBy(call => call.Ended).FirstOrDefault();

    public int AcceptedAfter(TimeSpan from) => calls.Count(call => call.MessageId is not null && call.Started >= from);

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(workers);
    }

    public string Describe() =>
        $"{calls.Count} publishes: {Accepted.Count} accepted, failed {string.Join(", ", calls.Where(call => call.Status is not null).GroupBy(call => call.Status).Select(group => $"{group.Key}: {group.Count()}"))}; longest {calls.Max(call => call.Ended - call.Started).TotalSeconds:0.00}s";

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
    }

    private async Task PublishAsync(TestSidecar publisher, string topic, int worker, TimeSpan pause)
    {
        var sequence = 0;
        while (!stop.IsCancellationRequested)
        {
            var started = Clock.Elapsed;
            try
            {
                var response = await publisher.Runtime.PublishEventAsync(
                    new PublishEventRequest
                    {
                        PubsubName = RabbitMqFixture.PubsubName,
                        Topic = topic,
                        Data = ByteString.CopyFromUtf8($"{{\"worker\":{worker},\"n\":{sequence++}}}"),
                    },
                    deadline: DateTime.UtcNow.AddSeconds(30),
                    cancellationToken: CancellationToken.None);
                calls.Enqueue(new Call(started, Clock.Elapsed, response.MessageId, null, null));
            }
            catch (RpcException exception)
            {
                calls.Enqueue(new Call(started, Clock.Elapsed, null, exception.StatusCode, exception.Status.Detail));
                await Task.Delay(50, CancellationToken.None);
                continue;
            }

            await Task.Delay(pause, CancellationToken.None);
        }
    }

    internal sealed record Call(TimeSpan Started, TimeSpan Ended, string? MessageId, StatusCode? Status, string? Detail);
}
