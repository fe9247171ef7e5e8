using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using BusRuntime.Core.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace BusRuntime.Hosting;

/// <summary>
/// Where and how the sidecar's two ports listen. On loopback (the default) they serve plain HTTP to the app
/// beside them, or TLS when a certificate is configured. Beyond loopback they serve TLS, or plain HTTP only when
/// BusRuntime:Tls:AllowPlaintext says so: otherwise the API token, state and events would cross a network in
/// clear text because of one setting, so that takes a second, deliberate one.
/// </summary>
public sealed class SidecarListener
{
    private SidecarListener(IPAddress address, X509Certificate2? certificate)
    {
        Address = address;
        Certificate = certificate;
    }

    public IPAddress Address { get; }

    /// <summary>The certificate both ports serve, or null for plain HTTP.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Whether only this machine can reach the ports.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    public string Scheme => Certificate is null ? "http" : "https";

    /// <summary>Reads and checks the listen address and TLS settings; throws naming the key that is wrong.</summary>
    public static SidecarListener From(SidecarOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (!IPAddress.TryParse(options.ListenAddress, out var address))
        {
            throw new InvalidOperationException($"BusRuntime:ListenAddress '{options.ListenAddress}' is not an IP address (for example 127.0.0.1, or 0.0.0.0 for every interface).");
        }

        var tls = options.Tls;
        var hasCertificate = !string.IsNullOrWhiteSpace(tls.CertificatePath);
        var hasKey = !string.IsNullOrWhiteSpace(tls.KeyPath);
        if (hasCertificate != hasKey)
        {
            throw new InvalidOperationException($"{TlsOptions.CertificatePathKey} and {TlsOptions.KeyPathKey} go together: set both (PEM files) or neither.");
        }

        if (!hasCertificate)
        {
            return IPAddress.IsLoopback(address) || tls.AllowPlaintext
                ? new SidecarListener(address, null)
                : throw new InvalidOperationException(
                    $"BusRuntime:ListenAddress '{options.ListenAddress}' is beyond loopback, so other machines reach the sidecar's ports: serve TLS " +
                    $"({TlsOptions.CertificatePathKey} and {TlsOptions.KeyPathKey}, PEM files), or set {TlsOptions.AllowPlaintextKey}=true where a network " +
                    "boundary of your own (a container's or pod's network) protects the plain traffic.");
        }

        var certificate = PemFiles.CertificateWithKey(tls.CertificatePath!, TlsOptions.CertificatePathKey, tls.KeyPath!, TlsOptions.KeyPathKey);
        var now = time.GetUtcNow();
        if (now.UtcDateTime > certificate.NotAfter.ToUniversalTime() || now.UtcDateTime < certificate.NotBefore.ToUniversalTime())
        {
            var window = string.Create(CultureInfo.InvariantCulture, $"{certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}");
            certificate.Dispose();
            throw new InvalidOperationException($"{TlsOptions.CertificatePathKey} '{tls.CertificatePath}' is valid from {window}, not now: clients would refuse it.");
        }

        return new SidecarListener(address, certificate);
    }

    /// <summary>Sets a port's protocols and, with a certificate, TLS (ALPN offers HTTP/2 on the gRPC port, as gRPC needs).</summary>
    public void Configure(ListenOptions listen, HttpProtocols protocols)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Protocols = protocols;
        if (Certificate is not null)
        {
            listen.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = Certificate });
        }
    }
}
