using System.Diagnostics;
using BusRuntime.Contracts;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BusRuntime.IntegrationTests;

/// <summary>
/// The RabbitMQ broker every integration test shares. It fails (never skips) when the broker does not
/// answer, saying which script starts it; it counts messages in queues and deletes what a test created.
/// </summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    public const string Address = "amqp://guest:guest@127.0.0.1:5672/";

    public const string PubsubName = "pubsub";

    private readonly ConnectionFactory factory = new()
    {
        Uri = new Uri(Address),
        RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
        AutomaticRecoveryEnabled = false,
        ClientProvidedName = "BusRuntime.IntegrationTests",
    };

    /// <summary>How long closing a connection may take before the test fails rather than hangs.</summary>
    private static readonly TimeSpan CloseLimit = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim gate = new(1, 1);
    private IConnection? connection;

    /// <summary>The configuration keys that put a sidecar on this broker.</summary>
    public static Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["BusRuntime:Transport"] = "RabbitMq",
            ["BusRuntime:RabbitMq"] = Address,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A name no other test uses: <paramref name="prefix"/>-{guid}, valid as an app id and as a topic.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        try
        {
            await ConnectionAsync();
        }
        catch (Exception exception) when (exception is BrokerUnreachableException or OperationInterruptedException or IOException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"RabbitMQ does not answer at {Address} ({exception.Message}). Start it with `bash scripts/dev-services.sh` and run the tests again.",
                exception);
        }
    }

    public async Task DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.CloseAsync().WaitAsync(CloseLimit);
            await connection.DisposeAsync().AsTask().WaitAsync(CloseLimit);
        }

        gate.Dispose();
    }

    /// <summary>The number of ready messages in a queue, or null when the queue does not exist.</summary>
    public async Task<uint?> MessageCountAsync(string queue)
    {
        var open = await ConnectionAsync();
        await using var channel = await open.CreateChannelAsync();
        try
        {
            var declared = await channel.QueueDeclarePassiveAsync(queue);
            return declared.MessageCount;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    /// <summary>Polls until a queue holds exactly <paramref name="expected"/> ready messages; fails with the last count.</summary>
    public async Task WaitForMessageCountAsync(string queue, uint expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        uint? count;
        while ((count = await MessageCountAsync(queue)) != expected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Queue '{queue}' holds {(count is null ? "nothing (it does not exist)" : count.ToString())} after {timeout.TotalSeconds}s, expected {expected} messages.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// The AMQP message ids of the ready messages in a queue, read without consuming them: they are taken
    /// unacknowledged and go back to the queue when the channel closes.
    /// </summary>
    public async Task<IReadOnlyList<string>> PeekMessageIdsAsync(string queue)
    {
        var open = await ConnectionAsync();
        var ids = new List<string>();
        await using (var channel = await open.CreateChannelAsync())
        {
            while (await channel.BasicGetAsync(queue, autoAck: false) is { } message)
            {
                ids.Add(message.BasicProperties.MessageId ?? "");
            }

            await channel.CloseAsync();
        }

        return ids;
    }

    /// <summary>Stops the broker application (the node stays up): every connection to it is closed.</summary>
    public async Task StopBrokerAsync() => await RabbitMqCtlAsync("stop_app");

    /// <summary>Starts the broker application again and waits until it accepts connections.</summary>
    public async Task StartBrokerAsync()
    {
        await RabbitMqCtlAsync("start_app");
        await RabbitMqCtlAsync("await_startup");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await ConnectionAsync();
                return;
            }
            catch (BrokerUnreachableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Runs rabbitmqctl on the broker's machine and returns what it printed; fails on a non-zero exit.</summary>
    internal static async Task<string> RabbitMqCtlAsync(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("rabbitmqctl", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var standardOutput = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var standardError = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} exited with {process.ExitCode}: {await standardOutput} {await standardError}");
        }

        return await standardOutput;
    }

    /// <summary>
    /// Records the bus entities of a test (one subscriber app's queue per topic, the topic exchanges) and
    /// deletes them when disposed. Declare it before the sidecars, so it is disposed after them.
    /// </summary>
    public BusEntities Track() => new(this);

    internal async Task DeleteAsync(IReadOnlyCollection<string> queues, IReadOnlyCollection<string> exchanges)
    {
        var open = await ConnectionAsync();
        foreach (var queue in queues)
        {
            await using var channel = await open.CreateChannelAsync();
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }

        foreach (var exchange in exchanges)
        {
            await using var channel = await open.CreateChannelAsync();
            await channel.ExchangeDeleteAsync(exchange, ifUnused: false);
        }
    }

    private async Task<IConnection> ConnectionAsync()
    {
        await gate.WaitAsync();
        try
        {
            if (connection is { IsOpen: true })
            {
                return connection;
            }

            // A test that restarted the broker leaves a closed connection behind.
            if (connection is not null)
            {
                await connection.DisposeAsync().AsTask().WaitAsync(CloseLimit);
                connection = null;
            }

            connection = await factory.CreateConnectionAsync();
            return connection;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The queue of one app's subscription to a topic on the default pub/sub.</summary>
    public static string Queue(string appId, string topic) => TopicNames.Queue(appId, PubsubName, topic);

    /// <summary>Where MassTransit moves what a subscription dead-letters.</summary>
    public static string ErrorQueue(string appId, string topic) => Queue(appId, topic) + "_error";

    /// <summary>The exchange of a topic on the default pub/sub.</summary>
    public static string Exchange(string topic) => TopicNames.Exchange(PubsubName, topic);
}
