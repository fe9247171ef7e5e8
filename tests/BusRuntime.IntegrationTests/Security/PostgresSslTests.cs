using System.Net;
using System.Net.Sockets;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Security;

/// <summary>
/// Sidecars whose connection string asks PostgreSQL for SSL (the server's certificate is the one
/// scripts/dev-services.sh made): with the CA as root certificate they keep state over SSL; with another root,
/// or against a server without SSL, they are not ready and their calls fail UNAVAILABLE saying why.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSslTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan ReadinessLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task SaveState_VerifyFullWithTheServersCa_StoresStateOverSsl()
    {
        var application = $"busruntime-ssl-{Guid.NewGuid():N}";
        var connectionString = $"{PostgresServer.ConnectionString};SSL Mode=VerifyFull;Root Certificate={DevCertificates.CaPath};Application Name={application}";
        await using var sidecar = await TestSidecar.StartAsync("ssl", postgres.Settings(postgres.Server.NewSchema(), connectionString));
        await sidecar.WaitUntilReadyAsync();

        await sidecar.Runtime.SaveStateAsync(new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = "k", Value = ByteString.CopyFromUtf8("v") } } });
        var stored = await sidecar.Runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = "k" });

        Assert.Equal("v", stored.Data.ToStringUtf8());
        await using var command = postgres.Server.Admin.CreateCommand(
            "SELECT count(*), coalesce(bool_and(s.ssl), false) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = application });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.True(reader.GetInt64(0) > 0, "The sidecar holds no connection to PostgreSQL.");
        Assert.True(reader.GetBoolean(1), "A connection of the sidecar is not encrypted.");
    }

    [Fact]
    public async Task SaveState_VerifyFullWithAnotherRoot_UnavailableSayingTheCertificateWasRefused()
    {
        using var certificates = new TestCertificates();
        var otherCa = certificates.OtherCaPath();
        var connectionString = $"{PostgresServer.ConnectionString};SSL Mode=VerifyFull;Root Certificate={otherCa}";
        await using var sidecar = await TestSidecar.StartAsync("ssl-wrong-root", Quiet(postgres.Settings(postgres.Server.NewSchema(), connectionString)));

        var (readiness, detail) = await RefusedAsync(sidecar);

        var requirement = $"(SSL Mode=VerifyFull: the server must have ssl = on and a certificate that chains to Root Certificate '{otherCa}' and names Host '127.0.0.1')";
        Assert.Contains("SSL handshake", readiness, StringComparison.Ordinal);
        Assert.Contains(requirement, readiness, StringComparison.Ordinal);
        Assert.Contains(requirement, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Password=", detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SaveState_RequireAgainstAServerWithoutSsl_UnavailableSayingTheServerHasNoSsl()
    {
        using var server = NoSslServer.Start();
        var connectionString = $"Host=127.0.0.1;Port={server.Port};Username=postgres;Password=postgres;SSL Mode=Require";
        await using var sidecar = await TestSidecar.StartAsync("ssl-none", Quiet(postgres.Settings(postgres.Server.NewSchema(), connectionString)));

        var (readiness, detail) = await RefusedAsync(sidecar);

        Assert.Contains("No SSL enabled connection", readiness, StringComparison.Ordinal);
        Assert.Contains("(SSL Mode=Require: the server must have ssl = on)", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Password=", detail, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Waits until readiness reports the state store not UP; returns its report and a SaveState's UNAVAILABLE detail.</summary>
    private async Task<(string Readiness, string Detail)> RefusedAsync(TestSidecar sidecar)
    {
        var report = "";
        await Poll.UntilAsync(
            async () =>
            {
                using var response = await sidecar.Http.GetAsync(new Uri("/actuator/health/readiness", UriKind.Relative));
                report = await response.Content.ReadAsStringAsync();
                return !response.IsSuccessStatusCode && report.Contains("\"statestore\":{\"status\":\"INIT\",\"details\":{\"description\"", StringComparison.Ordinal);
            },
            ReadinessLimit,
            () => $"readiness did not report the state store failing; last: {report}");
        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.SaveStateAsync(
            new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = "k", Value = ByteString.CopyFromUtf8("v") } } },
            deadline: DateTime.UtcNow.AddSeconds(30)));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        output.WriteLine(report);
        output.WriteLine(error.Status.Detail);
        return (report, error.Status.Detail);
    }

    private static Dictionary<string, string?> Quiet(Dictionary<string, string?> settings)
    {
        settings["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None";
        settings["Logging:LogLevel:BusRuntime"] = "None";
        return settings;
    }

    /// <summary>A PostgreSQL server with ssl = off, as far as a client asking for SSL can tell: it answers every SSLRequest 'N'.</summary>
    private sealed class NoSslServer : IDisposable
    {
        private readonly TcpListener listener;
        private readonly CancellationTokenSource stop = new();

        private NoSslServer(TcpListener listener)
        {
            this.listener = listener;
            _ = Task.Run(AcceptAsync);
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public static NoSslServer Start()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return new NoSslServer(listener);
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
            stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    var stream = client.GetStream();
                    var request = new byte[8];
                    await stream.ReadExactlyAsync(request, stop.Token);
                    await stream.WriteAsync("N"u8.ToArray(), stop.Token);
                    await stream.FlushAsync(stop.Token);
                }
                catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
                catch (Exception exception) when (exception is SocketException or IOException or EndOfStreamException)
                {
                    // A client went away mid-request; the next one is served.
                }
            }
        }
    }
}
