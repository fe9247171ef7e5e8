using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BusRuntime.Core.Security;
using RabbitMQ.Client;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>
/// How the sidecar checks the broker on amqps://: TLS 1.2 or 1.3, a certificate that names the address's host
/// and chains to a trusted root: the machine's, or, when BusRuntime:RabbitMqCaCertificate names a PEM file,
/// only the CAs in it. Both RabbitMQ.Client and MassTransit would accept a broken chain or a wrong name if
/// configured the usual way (MassTransit's UseSsl allows chain errors by default, RabbitMQ.Client's amqps:// URIs
/// allow a name mismatch); this check replaces theirs on every connection the sidecar opens.
/// </summary>
public sealed class RabbitMqTls
{
    public const string CaCertificateKey = "BusRuntime:RabbitMqCaCertificate";

    /// <summary>The protocols offered; older ones are broken and RabbitMQ refuses them by default.</summary>
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    private readonly X509Certificate2Collection? roots;
    private readonly string? rootsPath;

    private RabbitMqTls(X509Certificate2Collection? roots, string? rootsPath)
    {
        this.roots = roots;
        this.rootsPath = rootsPath;
    }

    /// <summary>The machine's trusted roots.</summary>
    public static RabbitMqTls System { get; } = new(null, null);

    /// <summary>
    /// Reads <see cref="CaCertificateKey"/> for <paramref name="address"/>; throws naming the key when the file is
    /// missing or holds no certificate, or when the address is not amqps:// (the CA would then protect nothing).
    /// </summary>
    public static RabbitMqTls For(RabbitMqAddress address, string? caCertificatePath)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (string.IsNullOrWhiteSpace(caCertificatePath))
        {
            return System;
        }

        if (!address.Tls)
        {
            throw new InvalidOperationException(
                $"{CaCertificateKey} is set but {RabbitMqAddress.Key} '{address}' is not an amqps:// address, so no certificate would be checked: use amqps:// (TLS, port {RabbitMqAddress.DefaultTlsPort}) or remove {CaCertificateKey}.");
        }

        return new RabbitMqTls(PemFiles.Certificates(caCertificatePath, CaCertificateKey), caCertificatePath);
    }

    /// <summary>RabbitMQ.Client's TLS settings for a connection of the sidecar's own to <paramref name="address"/>.</summary>
    public SslOption SslOption(RabbitMqAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new SslOption
        {
            Enabled = address.Tls,
            ServerName = address.Host,
            Version = Protocols,
            AcceptablePolicyErrors = SslPolicyErrors.None,
            CertificateValidationCallback = Validate,
        };
    }

    /// <summary>
    /// Accepts the broker's certificate or throws an <see cref="AuthenticationException"/> saying why not, which
    /// the connection's failure, and so the bus's readiness, carries: the TLS stack alone would only say that the
    /// certificate "was rejected by the provided RemoteCertificateValidationCallback".
    /// </summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors sslPolicyErrors)
    {
        if (certificate is null || sslPolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            throw new AuthenticationException("the broker presented no TLS certificate.");
        }

        var subject = certificate.Subject;
        if (sslPolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            throw new AuthenticationException($"the broker's TLS certificate ({subject}) does not name the host of {RabbitMqAddress.Key} (its subject alternative names must include it).");
        }

        if (roots is null)
        {
            return sslPolicyErrors == SslPolicyErrors.None
                ? true
                : throw new AuthenticationException($"the broker's TLS certificate ({subject}, issued by {certificate.Issuer}) is not trusted by this machine ({Describe(chain)}); set {CaCertificateKey} to the PEM file of the CA that signed it.");
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // The intermediates the broker sent.
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf)
            ? true
            : throw new AuthenticationException($"the broker's TLS certificate ({subject}, issued by {certificate.Issuer}) does not chain to a CA in {CaCertificateKey} '{rootsPath}' ({Describe(custom)}).");
    }

    private static string Describe(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0
            ? "no chain"
            : string.Join("; ", chain.ChainStatus.Select(status => status.StatusInformation.Trim()).Distinct(StringComparer.Ordinal));
}
