using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BusRuntime.Transport.RabbitMq;

namespace BusRuntime.Transport.Tests.RabbitMq;

public sealed class RabbitMqTlsTests
{
    private static readonly RabbitMqAddress Amqps = RabbitMqAddress.Parse("amqps://app:pw@broker.example/");

    [Fact]
    public void For_CaCertificateWithPlainAddress_FailsNamingBothKeys()
    {
        using var authority = TestCertificates.Authority("ca");
        var path = TestCertificates.WritePem(authority);
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => RabbitMqTls.For(RabbitMqAddress.Parse("amqp://app:pw@broker.example/"), path));

            Assert.Equal(
                "BusRuntime:RabbitMqCaCertificate is set but BusRuntime:RabbitMq 'amqp://app@broker.example:5672/' is not an amqps:// address, so no certificate would be checked: use amqps:// (TLS, port 5671) or remove BusRuntime:RabbitMqCaCertificate.",
                error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void For_MissingCaFile_FailsNamingTheKeyAndThePath()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RabbitMqTls.For(Amqps, "/nonexistent/ca.pem"));

        Assert.Equal("BusRuntime:RabbitMqCaCertificate '/nonexistent/ca.pem' does not exist.", error.Message);
    }

    [Fact]
    public void For_FileWithoutCertificate_FailsSayingItHoldsNone()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "not a certificate");
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => RabbitMqTls.For(Amqps, path));

            Assert.Equal($"BusRuntime:RabbitMqCaCertificate '{path}' holds no certificate (a PEM file with -----BEGIN CERTIFICATE-----).", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SslOption_Amqps_ChecksTheHostNameWithTls12Or13AndTheSidecarsOwnCheck()
    {
        var tls = RabbitMqTls.System;

        var option = tls.SslOption(Amqps);

        Assert.True(option.Enabled);
        Assert.Equal("broker.example", option.ServerName);
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, option.Version);
        Assert.Equal(SslPolicyErrors.None, option.AcceptablePolicyErrors);
        Assert.Equal(tls.Validate, option.CertificateValidationCallback);
    }

    [Fact]
    public void SslOption_Amqp_IsOff()
    {
        Assert.False(RabbitMqTls.System.SslOption(RabbitMqAddress.Parse("amqp://broker.example/")).Enabled);
    }

    [Fact]
    public void Validate_CertificateSignedByTheConfiguredCa_IsAccepted()
    {
        using var authority = TestCertificates.Authority("broker ca");
        using var server = TestCertificates.Server(authority, "broker.example");
        var tls = WithCa(authority);

        // The machine does not trust the CA: the TLS stack reports a chain error, which the configured CA answers.
        Assert.True(tls.Validate(this, server, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void Validate_CertificateOfAnotherCa_ThrowsSayingItDoesNotChainToTheConfiguredCa()
    {
        using var authority = TestCertificates.Authority("broker ca");
        using var other = TestCertificates.Authority("other ca");
        using var server = TestCertificates.Server(other, "broker.example");
        var tls = WithCa(authority);

        var error = Assert.Throws<AuthenticationException>(() => tls.Validate(this, server, null, SslPolicyErrors.RemoteCertificateChainErrors));

        Assert.StartsWith("the broker's TLS certificate (CN=broker.example, issued by CN=other ca) does not chain to a CA in BusRuntime:RabbitMqCaCertificate '", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NameMismatch_ThrowsEvenWithTheConfiguredCa()
    {
        using var authority = TestCertificates.Authority("broker ca");
        using var server = TestCertificates.Server(authority, "elsewhere.example");
        var tls = WithCa(authority);

        var error = Assert.Throws<AuthenticationException>(() => tls.Validate(this, server, null, SslPolicyErrors.RemoteCertificateNameMismatch));

        Assert.Contains("does not name the host of BusRuntime:RabbitMq", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MachineTrustWithChainErrors_ThrowsPointingAtTheCaSetting()
    {
        using var authority = TestCertificates.Authority("broker ca");
        using var server = TestCertificates.Server(authority, "broker.example");

        var error = Assert.Throws<AuthenticationException>(() => RabbitMqTls.System.Validate(this, server, null, SslPolicyErrors.RemoteCertificateChainErrors));

        Assert.Contains("is not trusted by this machine", error.Message, StringComparison.Ordinal);
        Assert.Contains("set BusRuntime:RabbitMqCaCertificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MachineTrustWithoutErrors_IsAccepted()
    {
        using var authority = TestCertificates.Authority("broker ca");
        using var server = TestCertificates.Server(authority, "broker.example");

        Assert.True(RabbitMqTls.System.Validate(this, server, null, SslPolicyErrors.None));
    }

    private static RabbitMqTls WithCa(X509Certificate2 authority)
    {
        var path = TestCertificates.WritePem(authority);
        try
        {
            return RabbitMqTls.For(Amqps, path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
