using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace BusRuntime.IntegrationTests.Security;

/// <summary>
/// A sidecar serving TLS on both ports with the certificate scripts/dev-services.sh made for 127.0.0.1: gRPC over
/// https (HTTP/2 negotiated by ALPN) and the actuator over https answer a client that trusts the CA, and the ports
/// speak nothing else.
/// </summary>
public sealed class KestrelTlsTests
{
    private static Dictionary<string, string?> TlsSettings() => new(StringComparer.Ordinal)
    {
        ["BusRuntime:Tls:CertificatePath"] = DevCertificates.ServerCertificatePath,
        ["BusRuntime:Tls:KeyPath"] = DevCertificates.ServerKeyPath,
    };

    [Fact]
    public async Task SaveAndGetState_GrpcOverHttpsTrustingTheCa_Answers()
    {
        await using var sidecar = await TestSidecar.StartAsync("kestrel-tls", TlsSettings());
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{sidecar.GrpcPort}", new GrpcChannelOptions { HttpHandler = TrustingTheCa() });
        var runtime = new Runtime.RuntimeClient(channel);

        await runtime.SaveStateAsync(new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = "k", Value = ByteString.CopyFromUtf8("over tls") } } });
        var stored = await runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = "k" });

        Assert.Equal("over tls", stored.Data.ToStringUtf8());
    }

    [Fact]
    public async Task Readiness_HttpsTrustingTheCa_AnswersUp()
    {
        await using var sidecar = await TestSidecar.StartAsync("kestrel-tls", TlsSettings());
        using var http = new HttpClient(TrustingTheCa()) { BaseAddress = new Uri($"https://127.0.0.1:{sidecar.HttpPort}") };

        using var response = await http.GetAsync(new Uri("/actuator/health/readiness", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"UP\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetState_PlainHttp2ToTheTlsPort_Fails()
    {
        await using var sidecar = await TestSidecar.StartAsync("kestrel-tls", TlsSettings());

        var error = await Assert.ThrowsAsync<RpcException>(async () => await sidecar.Runtime.GetStateAsync(
            new GetStateRequest { StoreName = "statestore", Key = "k" }, deadline: DateTime.UtcNow.AddSeconds(10)));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    /// <summary>A handler that trusts only the CA of scripts/dev-services.sh (and checks the name, as always).</summary>
    private static SocketsHttpHandler TrustingTheCa()
    {
        var authority = X509CertificateLoader.LoadCertificateFromFile(DevCertificates.CaPath);
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(authority);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    return chain.Build(leaf);
                },
            },
        };
    }
}
