namespace BusRuntime.Hosting;

/// <summary>TLS on the sidecar's own ports (configuration section "BusRuntime:Tls").</summary>
public sealed class TlsOptions
{
    public const string CertificatePathKey = "BusRuntime:Tls:CertificatePath";
    public const string KeyPathKey = "BusRuntime:Tls:KeyPath";
    public const string AllowPlaintextKey = "BusRuntime:Tls:AllowPlaintext";

    /// <summary>A PEM certificate (its chain may follow it) both ports serve; with it, they speak only TLS.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The certificate's private key, an unencrypted PEM file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// Lets the sidecar listen beyond loopback without TLS, where a network boundary of the operator's own (a
    /// container's or a pod's network) takes its place; without it, such a sidecar does not start.
    /// </summary>
    public bool AllowPlaintext { get; set; }
}
