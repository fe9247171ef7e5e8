using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BusRuntime.Core.Errors;
using BusRuntime.Core.State;

namespace BusRuntime.Stores.Tests;

/// <summary>
/// A database that cannot be reached fails a call fast with UNAVAILABLE naming the component (never the
/// password), and a caller's deadline wins over it. No server is needed: nothing listens on port 1.
/// </summary>
public sealed class PostgresUnavailableTests
{
    private const string Password = "s3cret-Passw0rd";
    private const string Refused = $"Host=127.0.0.1;Port=1;Username=postgres;Password={Password}";

    public static TheoryData<string> Calls => ["state.get", "state.apply", "state.health", "lock.try", "lock.unlock", "lock.health", "sequencer.reserve", "sequencer.health"];

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Call_ConnectionRefused_ThrowsUnavailableNamingTheComponent(string call)
    {
        await using var sidecar = new PostgresSidecar(Refused, "busruntime");
        var watch = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAsync<RuntimeException>(() => CallAsync(sidecar, call, CancellationToken.None));

        Assert.Equal(ErrorCode.Unavailable, exception.Code);
        Assert.StartsWith("PostgreSQL is unreachable for the ", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'component'", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, exception.Message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task ApplyAsync_ServerNeverAnswers_FailsAfterTheDefaultConnectTimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var sidecar = new PostgresSidecar(SilentAt(silent), "busruntime");
        var watch = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAsync<RuntimeException>(() => CallAsync(sidecar, "state.apply", CancellationToken.None));

        Assert.Equal(ErrorCode.Unavailable, exception.Code);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ReserveAsync_ServerNeverAnswersAndDeadlinePasses_ThrowsOperationCanceled()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var sidecar = new PostgresSidecar(SilentAt(silent), "busruntime");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CallAsync(sidecar, "sequencer.reserve", deadline.Token));

        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
    }

    /// <summary>A connection string to a server that accepts connections (into the listen backlog) and never says a word.</summary>
    private static string SilentAt(TcpListener listener) =>
        $"Host=127.0.0.1;Port={((IPEndPoint)listener.LocalEndpoint).Port};Username=postgres;Password={Password}";

    private static Task CallAsync(PostgresSidecar sidecar, string call, CancellationToken cancellationToken) => call switch
    {
        "state.get" => sidecar.State("component").GetAsync(["k"], cancellationToken),
        "state.apply" => sidecar.State("component").ApplyAsync([StateWrite.Delete("k", StatePrecondition.None)], cancellationToken),
        "state.health" => sidecar.State("component").CheckHealthAsync(cancellationToken),
        "lock.try" => sidecar.Lock("component").TryLockAsync("r", "alice", TimeSpan.FromSeconds(1), cancellationToken),
        "lock.unlock" => sidecar.Lock("component").UnlockAsync("r", "alice", cancellationToken),
        "lock.health" => sidecar.Lock("component").CheckHealthAsync(cancellationToken),
        "sequencer.reserve" => sidecar.Sequencer("component").ReserveAsync("k", 1, cancellationToken),
        _ => sidecar.Sequencer("component").CheckHealthAsync(cancellationToken),
    };
}
