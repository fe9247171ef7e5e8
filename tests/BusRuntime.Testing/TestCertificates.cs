using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BusRuntime.Testing;

/// <summary>Certificates made in memory for one test: a CA that nothing trusts, written as PEM files the test deletes.</summary>
public sealed class TestCertificates : IDisposable
{
    private readonly List<string> files = [];

    /// <summary>A self-signed CA that signed none of the servers' certificates, as a PEM file.</summary>
    public string OtherCaPath()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=BusRuntime tests other CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return Write(authority.ExportCertificatePem());
    }

    /// <summary>A self-signed certificate for 127.0.0.1 valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>, and its key, as PEM files.</summary>
    public (string CertificatePath, string KeyPath) SelfSigned(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return (Write(certificate.ExportCertificatePem()), Write(key.ExportPkcs8PrivateKeyPem()));
    }

    public void Dispose()
    {
        foreach (var file in files)
        {
            File.Delete(file);
        }
    }

    private string Write(string pem)
    {
        var path = Path.Combine(Path.GetTempPath(), $"busruntime-test-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, pem);
        files.Add(path);
        return path;
    }
}
