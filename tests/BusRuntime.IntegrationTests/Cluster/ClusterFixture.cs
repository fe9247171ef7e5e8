using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BusRuntime.IntegrationTests.Cluster;

/// <summary>
/// A 3-node RabbitMQ cluster (scripts/rabbitmq-cluster.sh: nodes busruntime-1..3 on ports 5681..5683) started
/// for the cluster tests and removed after them; it never touches the shared broker on 5672.
/// </summary>
public sealed partial class ClusterFixture : IAsyncLifetime
{
    public const int Nodes = 3;

    private static readonly string Script = Path.Combine(RepositoryRoot(), "scripts", "rabbitmq-cluster.sh");

    /// <summary>The nodes' addresses as BusRuntime:RabbitMq takes them, in the given order (the first is tried first).</summary>
    public static string Addresses(params int[] order) =>
        string.Join(',', (order.Length == 0 ? [1, 2, 3] : order).Select(node => $"amqp://guest:guest@127.0.0.1:{Port(node)}/"));

    public static int Port(int node) => 5680 + node;

    /// <summary>The settings that put a sidecar on the cluster, its nodes tried in <paramref name="order"/>.</summary>
    public static Dictionary<string, string?> Settings(int[] order, IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["BusRuntime:Transport"] = "RabbitMq",
            ["BusRuntime:RabbitMq"] = Addresses(order),
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public async Task InitializeAsync() => await RunScriptAsync(TimeSpan.FromMinutes(4), "up");

    public async Task DisposeAsync() => await RunScriptAsync(TimeSpan.FromMinutes(1), "down");

    /// <summary>kill -9 of the node's VM: its connections drop without a close, as when a machine dies.</summary>
    public Task KillNodeAsync(int node) => RunScriptAsync(TimeSpan.FromSeconds(30), "kill-node", node.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Starts a node again and waits until it runs (it rejoins the cluster).</summary>
    public Task StartNodeAsync(int node) => RunScriptAsync(TimeSpan.FromMinutes(2), "start-node", node.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The number of running cluster members as <paramref name="node"/> sees them.</summary>
    public async Task<int> RunningMembersAsync(int node) =>
        int.Parse((await CtlAsync(node, "eval", "length(rabbit_nodes:all_running()).")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The node (1..3) the bus connection of <paramref name="appId"/>'s sidecar is on, asked of <paramref name="askNode"/>.</summary>
    public async Task<int> NodeOfConnectionAsync(string appId, int askNode)
    {
        // RabbitMQ 3.10 has no user_provided_name column: the name is among the client properties.
        var lines = (await CtlAsync(askNode, "list_connections", "client_properties", "port")).Split('\n');
        var line = lines.FirstOrDefault(line => line.Contains($"\"busruntime {appId}\"", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No connection of {appId} on the cluster: {string.Join(" | ", lines)}");
        return int.Parse(line.Split('\t')[^1].Trim(), System.Globalization.CultureInfo.InvariantCulture) - 5680;
    }

    /// <summary>The node (1..3) holding the leader of quorum queue <paramref name="queue"/>, and the queue's type.</summary>
    public async Task<(string Type, int Leader)> QueueAsync(string queue, int askNode)
    {
        var lines = (await CtlAsync(askNode, "list_queues", "name", "type", "leader")).Split('\n');
        var line = lines.FirstOrDefault(line => line.StartsWith(queue + "\t", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No queue {queue} on the cluster.");
        var columns = line.Split('\t');
        var leader = NodeName().Match(columns[2]);
        return (columns[1].Trim(), leader.Success ? int.Parse(leader.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
    }

    /// <summary>Runs rabbitmqctl against one node and returns what it printed; fails on a non-zero exit.</summary>
    public static async Task<string> CtlAsync(int node, params string[] arguments)
    {
        var all = new List<string> { "-q", "-n", $"busruntime-{node}" };
        all.AddRange(arguments);
        return await RunAsync("rabbitmqctl", all, TimeSpan.FromSeconds(60));
    }

    private static async Task RunScriptAsync(TimeSpan timeout, params string[] arguments)
    {
        var all = new List<string> { Script };
        all.AddRange(arguments);
        await RunAsync("bash", all, timeout);
    }

    private static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        using var limit = new CancellationTokenSource(timeout);
        var standardOutput = process.StandardOutput.ReadToEndAsync(limit.Token);
        var standardError = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds}s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await standardOutput} {await standardError} (the cluster needs Debian's rabbitmq-server, which scripts/rabbitmq-cluster.sh installs, and root or sudo)");
        }

        return await standardOutput;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BusRuntime.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No BusRuntime.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"busruntime-(\d)@")]
    private static partial Regex NodeName();
}
