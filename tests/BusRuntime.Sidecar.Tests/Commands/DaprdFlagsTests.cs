using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Sidecar.Commands;
using BusRuntime.Testing;
using Grpc.Net.Client;
using DaprClient = BusRuntime.Protos.Dapr.Runtime.V1.Dapr.DaprClient;

namespace BusRuntime.Sidecar.Tests.Commands;

/// <summary>daprd's command line starts BusRuntime unchanged: its flags set BusRuntime's settings, or are refused saying why.</summary>
public sealed class DaprdFlagsTests
{
    [Fact]
    public async Task Run_DaprdCommandLine_ServesOnDaprsPortsWithItsSettings()
    {
        var httpPort = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var grpcPort = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = BusRuntimeCommandLine.Create()
            .Parse([
                "run", "--app-id", "daprdflags", "--dapr-http-port", httpPort, "--dapr-grpc-port", grpcPort, "--max-body-size", "1Mi",
                "--app-max-concurrency", "8", "--dapr-listen-addresses", "127.0.0.1", "--dapr-graceful-shutdown-seconds", "5",
                "--log-level", "warn", "--mode", "standalone", "--placement-host-address", "localhost:50005", "--enable-metrics",
            ])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, stop.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    using var health = await http.GetAsync(new Uri("/v1.0/healthz", UriKind.Relative));
                    return health.StatusCode == HttpStatusCode.NoContent;
                }
                catch (HttpRequestException)
                {
                    return !run.IsCompleted;
                }
            },
            TimeSpan.FromSeconds(30),
            () => $"the sidecar did not serve on --dapr-http-port {httpPort}: {error}");

        using var tooBig = await http.PostAsync(
            new Uri("/v1.0/state/statestore", UriKind.Relative),
            new StringContent($$"""[{"key":"k","value":"{{new string('x', 1_200_000)}}"}]""", Encoding.UTF8, "application/json"));
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var metadata = await new DaprClient(channel).GetMetadataAsync(new GetMetadataRequest());
        await stop.CancelAsync();

        Assert.Equal(0, await run);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Equal("daprdflags", metadata.Id);
        Assert.Contains("busruntime: --placement-host-address is accepted for daprd's command line and ignored.", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--enable-mtls", "", "--enable-mtls: BusRuntime has no Sentry to issue certificates")]
    [InlineData("--app-ssl", "", "--app-ssl: the sidecar calls its app in plain text on the loopback")]
    [InlineData("--mode", "kubernetes", "--mode kubernetes: BusRuntime runs in standalone mode only")]
    [InlineData("--max-body-size", "4Q", "--max-body-size '4Q': not a size such as 4Mi, 512Ki, 16M or 1048576 (bytes).")]
    [InlineData("--max-body-size", "1Gi", "--max-body-size '1Gi': must be between 1 byte and 64 MiB (BusRuntime:MaxPayloadBytes).")]
    [InlineData("--dapr-http-max-request-size", "100", "--dapr-http-max-request-size '100': must be between 1 byte and 64 MiB (BusRuntime:MaxPayloadBytes).")]
    [InlineData("--app-max-concurrency", "-1", "--app-max-concurrency -1: must be at least 1")]
    [InlineData("--dapr-listen-addresses", "127.0.0.1,::1", "--dapr-listen-addresses '127.0.0.1,::1': BusRuntime listens on one address; name one.")]
    public async Task Run_DaprdFlagBusRuntimeCannotHonour_StopsStartUpSayingWhy(string flag, string value, string message)
    {
        string[] args = value.Length == 0
            ? ["run", "--app-id", "orders", flag, "--grpc-port", "1", "--http-port", "2"]
            : ["run", "--app-id", "orders", flag, value, "--grpc-port", "1", "--http-port", "2"];
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await BusRuntimeCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(2, exitCode);
        Assert.Contains("busruntime: the sidecar cannot start: " + message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DaprConfigurationYamlAsConfig_IsRefusedPointingAtWhereItsSettingsGo()
    {
        var file = Path.Combine(Path.GetTempPath(), $"busruntime-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata:\n  name: appconfig\n");
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();

            var exitCode = await BusRuntimeCommandLine.Create().Parse(["run", "--app-id", "orders", "--config", file]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

            Assert.Equal(2, exitCode);
            Assert.Contains($"--config '{Path.GetFileName(file)}' looks like a Dapr Configuration file (YAML)", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Help_Run_ListsDaprdsFlagsWithWhatTheyBecome()
    {
        using var output = new StringWriter();

        await BusRuntimeCommandLine.Create().Parse(["run", "--help"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = TextWriter.Null });

        var help = output.ToString();
        foreach (var (flag, becomes) in new[]
        {
            ("--dapr-http-port", "BusRuntime:HttpPort"), ("--dapr-grpc-port", "BusRuntime:GrpcPort"), ("--max-body-size", "BusRuntime:MaxPayloadBytes"),
            ("--app-max-concurrency", "BusRuntime:Invoke:ConcurrentRequests"), ("--app-channel-address", "BusRuntime:AppHost"),
            ("--dapr-graceful-shutdown-seconds", "BusRuntime:ShutdownTimeout"), ("--log-level", "Logging:LogLevel:Default"),
            ("--scheduler-host-address", "Accepted and ignored"), ("--enable-mtls", "Refused"),
        })
        {
            Assert.Contains(flag, help, StringComparison.Ordinal);
            Assert.Contains(becomes, help, StringComparison.Ordinal);
        }
    }
}
