using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BusRuntime.Sidecar.Commands;
using BusRuntime.Testing;

namespace BusRuntime.Sidecar.Tests.Commands;

public sealed class RunCommandTests
{
    private static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await BusRuntimeCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Run_MalformedPostgresFlag_FailsStartUpNamingTheKeyWithoutThePassword()
    {
        var (exitCode, _, error) = await InvokeAsync("run", "--app-id", "orders", "--postgres", "Host=db;Password=s3cret;Nonsense=1", "--grpc-port", "1", "--http-port", "2");

        Assert.Equal(2, exitCode);
        Assert.Contains("BusRuntime:Postgres is not a valid PostgreSQL connection string", error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoAppId_FailsStartUpNamingTheKeyAndTheFlag()
    {
        var (exitCode, _, error) = await InvokeAsync("run", "--grpc-port", "1", "--http-port", "2");

        Assert.Equal(2, exitCode);
        Assert.Contains("BusRuntime:AppId is required (--app-id or BusRuntime__AppId).", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AppIdWithDot_FailsStartUpWithTheAllowedShape()
    {
        var (exitCode, _, error) = await InvokeAsync("run", "--app-id", "orders.v2");

        Assert.Equal(2, exitCode);
        Assert.Contains("BusRuntime:AppId must match ^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AppHealthProbeTimeoutLongerThanInterval_FailsStartUpNamingBothKeys()
    {
        var (exitCode, _, error) = await InvokeAsync(
            "run", "--app-id", "orders", "--enable-app-health-check", "--app-health-check-path", "/ready",
            "--app-health-probe-interval", "1", "--app-health-probe-timeout", "2000", "--app-health-threshold", "4", "--grpc-port", "1", "--http-port", "2");

        Assert.Equal(2, exitCode);
        Assert.Contains("BusRuntime:AppHealth:ProbeTimeout (00:00:02) must not be longer than BusRuntime:AppHealth:ProbeInterval (00:00:01)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownTransportFlag_IsRejectedListingTheAllowedValues()
    {
        var (exitCode, _, error) = await InvokeAsync("run", "--app-id", "orders", "--transport", "Kafka");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Kafka", error, StringComparison.Ordinal);
        Assert.Contains("InMemory", error, StringComparison.Ordinal);
        Assert.Contains("RabbitMq", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "BusRuntime": { "Transport": "Kafka" } }""", "BusRuntime:Transport 'Kafka' is not one of: InMemory, RabbitMq.")]
    [InlineData("""{ "BusRuntime": { "Components": [ { "Name": "events", "Type": "pubsub.kafka" } ] } }""", "BusRuntime:Components:0:Type 'pubsub.kafka' is not one of: pubsub.bus, state.in-memory, state.postgresql, state.redis, lock.in-memory, lock.postgresql, lock.redis, sequencer.in-memory, sequencer.postgresql, configuration.in-memory, configuration.postgresql, secretstores.local.file, secretstores.local.env, file.local, file.postgresql, bindings.http, bindings.rabbitmq, bindings.cron, bindings.postgresql, hello.helloworld.")]
    [InlineData("""{ "BusRuntime": { "PubSub": { "RetryLimit": 1000 } } }""", "BusRuntime:PubSub:RetryLimit must be between 0 and 100.")]
    [InlineData("""{ "BusRuntime": { "PubSub": { "RetryLimit": "many" } } }""", "BusRuntime:PubSub:RetryLimit")]
    [InlineData("""{ "BusRuntime": { "Journal": { "BufferBytes": 100 } } }""", "BusRuntime:Journal:BufferBytes must be between 1024 and 68719476736.")]
    [InlineData("""{ "BusRuntime": { "RabbitMq": "localhost", "Transport": "RabbitMq" } }""", "BusRuntime:RabbitMq 'localhost' is not an address of the form amqp://user:password@host:port/vhost (or amqps:// for TLS)")]
    [InlineData("""{ "BusRuntime": { "RabbitMq": "amqps://u:p@broker.example/", "Transport": "RabbitMq", "RabbitMqCaCertificate": "/nonexistent/ca.pem" } }""", "BusRuntime:RabbitMqCaCertificate '/nonexistent/ca.pem' does not exist.")]
    [InlineData("""{ "BusRuntime": { "ListenAddress": "0.0.0.0" } }""", "BusRuntime:ListenAddress '0.0.0.0' is beyond loopback, so other machines reach the sidecar's ports: serve TLS")]
    [InlineData("""{ "BusRuntime": { "Tls": { "CertificatePath": "/nonexistent/cert.pem", "KeyPath": "/nonexistent/key.pem" } } }""", "BusRuntime:Tls:CertificatePath '/nonexistent/cert.pem' does not exist.")]
    [InlineData("""{ "BusRuntime": { "Components": [ { "Name": "orders", "Type": "state.postgresql" } ] } }""", "BusRuntime:Components[orders] is a state.postgresql component but no connection string is set: set BusRuntime:Postgres (--postgres) or its metadata connectionString.")]
    [InlineData("""{ "BusRuntime": { "Components": [ { "Name": "statestore", "Type": "state.in-memory", "Metadata": { "publishChanges": "yes" } } ] } }""", "BusRuntime:Components[statestore]:Metadata:publishChanges 'yes' is not one of: true, false.")]
    [InlineData("""{ "BusRuntime": { "Components": [ { "Name": "ids", "Type": "sequencer.in-memory", "Metadata": { "segmentSize": "0" } } ] } }""", "BusRuntime:Components[ids]:Metadata:segmentSize '0' must be a whole number between 1 and 1000000.")]
    [InlineData("""{ "BusRuntime": { "Components": [ { "Name": "webhook", "Type": "bindings.http", "Metadata": { "url": "ftp://example/x" } } ] } }""", "BusRuntime:Components[webhook]:Metadata:url 'ftp://example/x' must be an absolute http:// or https:// URL")]
    [InlineData("""{ "BusRuntime": { "Components": [ { "Name": "orders", "Type": "bindings.rabbitmq" } ] } }""", "BusRuntime:Components[orders]:Metadata:queueName or BusRuntime:Components[orders]:Metadata:exchange: set exactly one")]
    [InlineData("""{ "BusRuntime": { "Components": [ { "Name": "blobs", "Type": "file.local", "Metadata": { "maxFileBytes": "-1" } } ] } }""", "BusRuntime:Components[blobs]:Metadata:maxFileBytes '-1' must be a whole number of bytes above 0.")]
    [InlineData("""{ "BusRuntime": { "Components": [ { "Name": "blobs", "Type": "file.local", "Metadata": { "keyPrefix": "../up" } } ] } }""", "BusRuntime:Components[blobs]:Metadata:keyPrefix '../up' has an empty, '.' or '..' segment")]
    [InlineData("""{ "BusRuntime": { "PostgresSchema": "Bus-Runtime" } }""", "BusRuntime:PostgresSchema must match ^[a-z_][a-z0-9_]{0,62}$")]
    [InlineData("""{ "BusRuntime": { "PostgresAutoCreate": "Sometimes" } }""", "BusRuntime:PostgresAutoCreate must be CreateOrUpdate or None.")]
    [InlineData("""{ "BusRuntime": { "AppCallbackProtocol": "grpc" } }""", "BusRuntime:AppCallbackProtocol must be auto, dapr or layotto.")]
    [InlineData("""{ "BusRuntime": { "Components": [ { "Name": "configstore", "Type": "configuration.in-memory", "Metadata": { "readScopes": "orders" } } ] } }""", "BusRuntime:Components[configstore]:Metadata:readScopes 'orders' must be entries like 'billing=shop,orders' or 'audit=*', separated by ';': 'orders' is not one reader=apps pair.")]
    [InlineData("""{ "BusRuntime": { "ApiToken": "t0k", "OperatorToken": "t0k" } }""", "BusRuntime:OperatorToken must differ from BusRuntime:ApiToken (DAPR_API_TOKEN)")]
    [InlineData("""{ "BusRuntime": { "Workflows": { "order": { "Steps": [ { "Method": "charge" } ] } } } }""", "BusRuntime:Workflows:order:Steps:0:AppId is empty")]
    [InlineData("""{ "BusRuntime": { "Workflows": { "order": { "Steps": [ { "AppId": "billing", "Method": "charge" }, { "AppId": "shipping" } ] } } } }""", "BusRuntime:Workflows:order:Steps:1:Method is empty")]
    [InlineData("""{ "BusRuntime": { "Workflows": { "order": { "Steps": [ ] } } } }""", "BusRuntime:Workflows:order:Steps is empty")]
    public async Task Run_ConfigFileWithBadValue_FailsStartUpNamingTheKey(string json, string message)
    {
        var file = Path.Combine(Path.GetTempPath(), $"busruntime-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json);
        try
        {
            var (exitCode, _, error) = await InvokeAsync("run", "--app-id", "orders", "--config", file, "--grpc-port", "1", "--http-port", "2");

            Assert.Equal(2, exitCode);
            Assert.Contains(message, error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Run_GrpcPortTaken_FailsNamingTheAddressAndEnds()
    {
        using var taken = new TcpListener(IPAddress.Loopback, FreePort.Next());
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var (exitCode, _, error) = await InvokeAsync("run", "--app-id", "orders", "--grpc-port", port, "--http-port", FreePort.Next().ToString(CultureInfo.InvariantCulture))
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains($"busruntime: the sidecar cannot start: Failed to bind to address http://127.0.0.1:{port}: address already in use.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingConfigFile_IsRejected()
    {
        var (exitCode, _, error) = await InvokeAsync("run", "--app-id", "orders", "--config", "/nonexistent/busruntime.json");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("busruntime.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Run_DescribesEveryFlagWithItsConfigurationKey()
    {
        var (exitCode, output, _) = await InvokeAsync("run", "--help");

        Assert.Equal(0, exitCode);
        foreach (var (flag, key) in new[]
        {
            ("--app-id", "BusRuntime:AppId"), ("--app-port", "BusRuntime:AppPort"), ("--grpc-port", "BusRuntime:GrpcPort"),
            ("--app-callback-protocol", "BusRuntime:AppCallbackProtocol"),
            ("--enable-app-health-check", "BusRuntime:AppHealth:Enabled"), ("--app-health-check-path", "BusRuntime:AppHealth:CheckPath"),
            ("--app-health-probe-interval", "BusRuntime:AppHealth:ProbeInterval"), ("--app-health-probe-timeout", "BusRuntime:AppHealth:ProbeTimeout"),
            ("--app-health-threshold", "BusRuntime:AppHealth:Threshold"),
            ("--http-port", "BusRuntime:HttpPort"), ("--transport", "BusRuntime:Transport"), ("--rabbitmq", "BusRuntime:RabbitMq"),
        })
        {
            Assert.Contains(flag, output, StringComparison.Ordinal);
            Assert.Contains(key, output, StringComparison.Ordinal);
        }

        Assert.Contains("--config", output, StringComparison.Ordinal);
    }
}
