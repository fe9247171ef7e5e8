using BusRuntime.Protos.V1;
using BusRuntime.Hosting;
using Grpc.Net.Client;

namespace BusRuntime.Testing;

/// <summary>A real sidecar in the test process, on its own ports, with a gRPC client and an HTTP client for it.</summary>
public sealed class TestSidecar : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly RecentLog log;
    private readonly GrpcChannel channel;

    private TestSidecar(WebApplication app, RecentLog log, int grpcPort, int httpPort)
    {
        this.app = app;
        this.log = log;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions { MaxSendMessageSize = null, MaxReceiveMessageSize = null });
        Runtime = new Runtime.RuntimeClient(channel);
        Operations = new Operations.OperationsClient(channel);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public Runtime.RuntimeClient Runtime { get; }

    public Operations.OperationsClient Operations { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>What the sidecar logged: its own story and the warnings and errors of every category.</summary>
    public RecentLog Log => log;

    /// <summary>Starts a sidecar; <paramref name="settings"/> are configuration keys as the run command's flags set them.</summary>
    public static Task<TestSidecar> StartAsync(string appId, IReadOnlyDictionary<string, string?>? settings = null, int? appPort = null, string? configFile = null) =>
        FreePort.StartAsync(() => StartOnFreePortsAsync(appId, settings, appPort, configFile));

    private static async Task<TestSidecar> StartOnFreePortsAsync(string appId, IReadOnlyDictionary<string, string?>? settings, int? appPort, string? configFile)
    {
        var grpcPort = FreePort.Next();
        var httpPort = FreePort.Next();
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["BusRuntime:AppId"] = appId,
            ["BusRuntime:GrpcPort"] = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BusRuntime:HttpPort"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (appPort is not null)
        {
            overrides["BusRuntime:AppPort"] = appPort.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        // Beyond the warnings every provider gets, the bus's and the runtime's own story is kept for a failure message.
        var log = new RecentLog();
        var app = SidecarHost.Build(overrides, configFile, logging => logging
            .AddProvider(log)
            .AddFilter<RecentLog>("MassTransit", LogLevel.Information)
            .AddFilter<RecentLog>("BusRuntime", LogLevel.Information));
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new TestSidecar(app, log, grpcPort, httpPort);
    }

    /// <summary>Waits until readiness says UP, or fails the test after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Http.GetAsync(new Uri("/actuator/health/readiness", UriKind.Relative));
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The sidecar was not ready in time; last readiness: {last}");
    }

    /// <summary>Waits until this sidecar consumes the given number of subscriptions (for example, after the app listed them).</summary>
    public async Task WaitForSubscriptionsAsync(int count, TimeSpan? timeout = null)
    {
        var subscriptions = app.Services.GetRequiredService<Core.Subscriptions.TopicSubscriptions>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (subscriptions.List().Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The sidecar has {subscriptions.List().Count} subscriptions, expected {count}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until this sidecar consumes its app's invoke queue (it has an app port and the bus took the consumer).</summary>
    public async Task WaitUntilServingInvocationsAsync(TimeSpan? timeout = null)
    {
        var server = app.Services.GetRequiredService<Core.Invoke.InvokeServer>();
        var appId = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Core.Configuration.RuntimeOptions>>().Value.AppId;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!server.Serves(appId))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The sidecar of {appId} does not serve invocations yet.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        channel.Dispose();
        // A stop that never ends would hang the whole test run silently: it fails the test instead, with what
        // the sidecar logged last.
        var limit = TimeSpan.FromMinutes(2);
        try
        {
            await app.StopAsync().WaitAsync(limit);
            await app.DisposeAsync().AsTask().WaitAsync(limit);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"The sidecar did not stop within {limit}. It logged last:{Environment.NewLine}{log.Tail()}", exception);
        }
    }
}
