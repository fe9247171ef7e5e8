using System.Net;
using BusRuntime.Hosting;
using BusRuntime.Testing;

namespace BusRuntime.Sidecar.Tests.Security;

public sealed class SidecarListenerTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.2")]
    [InlineData("::1")]
    public void From_LoopbackWithoutTls_ServesPlainHttp(string address)
    {
        var listener = SidecarListener.From(new SidecarOptions { ListenAddress = address }, TimeProvider.System);

        Assert.Equal((IPAddress.Parse(address), true, "http"), (listener.Address, listener.IsLoopback, listener.Scheme));
        Assert.Null(listener.Certificate);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.0.2.10")]
    public void From_BeyondLoopbackWithoutTls_RefusesNamingBothWaysOut(string address)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SidecarListener.From(new SidecarOptions { ListenAddress = address }, TimeProvider.System));

        Assert.Equal(
            $"BusRuntime:ListenAddress '{address}' is beyond loopback, so other machines reach the sidecar's ports: serve TLS (BusRuntime:Tls:CertificatePath and BusRuntime:Tls:KeyPath, PEM files), or set BusRuntime:Tls:AllowPlaintext=true where a network boundary of your own (a container's or pod's network) protects the plain traffic.",
            error.Message);
    }

    [Fact]
    public void From_BeyondLoopbackWithAllowPlaintext_ServesPlainHttp()
    {
        var listener = SidecarListener.From(new SidecarOptions { ListenAddress = "0.0.0.0", Tls = new TlsOptions { AllowPlaintext = true } }, TimeProvider.System);

        Assert.Equal(("http", false), (listener.Scheme, listener.IsLoopback));
    }

    [Fact]
    public void From_BeyondLoopbackWithCertificate_ServesTls()
    {
        using var certificates = new TestCertificates();
        var (certificate, key) = certificates.SelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));

        var listener = SidecarListener.From(Options("0.0.0.0", certificate, key), TimeProvider.System);

        Assert.Equal("https", listener.Scheme);
        Assert.Equal("CN=127.0.0.1", listener.Certificate?.Subject);
        Assert.True(listener.Certificate?.HasPrivateKey);
    }

    [Fact]
    public void From_NotAnAddress_FailsNamingTheKey()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SidecarListener.From(new SidecarOptions { ListenAddress = "localhost" }, TimeProvider.System));

        Assert.Equal("BusRuntime:ListenAddress 'localhost' is not an IP address (for example 127.0.0.1, or 0.0.0.0 for every interface).", error.Message);
    }

    [Fact]
    public void From_CertificateWithoutKey_FailsSayingTheyGoTogether()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SidecarListener.From(Options("127.0.0.1", "/some/cert.pem", null), TimeProvider.System));

        Assert.Equal("BusRuntime:Tls:CertificatePath and BusRuntime:Tls:KeyPath go together: set both (PEM files) or neither.", error.Message);
    }

    [Fact]
    public void From_MissingCertificateFile_FailsNamingTheKeyAndThePath()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SidecarListener.From(Options("127.0.0.1", "/nonexistent/cert.pem", "/nonexistent/key.pem"), TimeProvider.System));

        Assert.Equal("BusRuntime:Tls:CertificatePath '/nonexistent/cert.pem' does not exist.", error.Message);
    }

    [Fact]
    public void From_KeyOfAnotherCertificate_FailsNamingBothKeys()
    {
        using var certificates = new TestCertificates();
        var (certificate, _) = certificates.SelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var (_, otherKey) = certificates.SelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));

        var error = Assert.Throws<InvalidOperationException>(() => SidecarListener.From(Options("127.0.0.1", certificate, otherKey), TimeProvider.System));

        Assert.StartsWith($"BusRuntime:Tls:CertificatePath '{certificate}' and BusRuntime:Tls:KeyPath '{otherKey}' are not a PEM certificate and its unencrypted private key:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_ExpiredCertificate_FailsSayingWhenItWasValid()
    {
        using var certificates = new TestCertificates();
        var (certificate, key) = certificates.SelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var error = Assert.Throws<InvalidOperationException>(() => SidecarListener.From(Options("127.0.0.1", certificate, key), TimeProvider.System));

        Assert.Equal($"BusRuntime:Tls:CertificatePath '{certificate}' is valid from 2020-01-01 00:00:00Z to 2021-01-01 00:00:00Z, not now: clients would refuse it.", error.Message);
    }

    private static SidecarOptions Options(string address, string? certificate, string? key) =>
        new() { ListenAddress = address, Tls = new TlsOptions { CertificatePath = certificate, KeyPath = key } };
}
