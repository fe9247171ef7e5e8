using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BusRuntime.Core.Security;

/// <summary>Reads the PEM files that TLS settings name, failing at start-up with a message that names the setting.</summary>
public static class PemFiles
{
    /// <summary>The certificates of a PEM file (a CA, or a CA bundle); throws naming <paramref name="key"/> when there are none.</summary>
    public static X509Certificate2Collection Certificates(string path, string key)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = Existing(path, key);
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(file);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{key} '{path}' cannot be read as PEM certificates: {exception.Message}", exception);
        }

        return certificates.Count > 0
            ? certificates
            : throw new InvalidOperationException($"{key} '{path}' holds no certificate (a PEM file with -----BEGIN CERTIFICATE-----).");
    }

    /// <summary>A certificate and its private key from two PEM files; throws naming the setting that is wrong.</summary>
    public static X509Certificate2 CertificateWithKey(string certificatePath, string certificateKey, string keyPath, string keyKey)
    {
        ArgumentNullException.ThrowIfNull(certificatePath);
        ArgumentNullException.ThrowIfNull(keyPath);
        var certificateFile = Existing(certificatePath, certificateKey);
        var keyFile = Existing(keyPath, keyKey);
        try
        {
            return X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"{certificateKey} '{certificatePath}' and {keyKey} '{keyPath}' are not a PEM certificate and its unencrypted private key: {exception.Message}", exception);
        }
    }

    private static string Existing(string path, string key)
    {
        var file = Path.GetFullPath(path);
        return File.Exists(file) ? file : throw new InvalidOperationException($"{key} '{path}' does not exist.");
    }
}
