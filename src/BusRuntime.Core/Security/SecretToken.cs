using System.Security.Cryptography;
using System.Text;

namespace BusRuntime.Core.Security;

/// <summary>
/// A configured token, kept as its SHA-256 digest and compared with what a caller presents in constant time:
/// digests of equal length are compared, so neither the time of a comparison nor an early exit on a length
/// difference tells a caller how much of the token it guessed, or how long the token is.
/// </summary>
public sealed class SecretToken
{
    private readonly byte[] digest;

    private SecretToken(string token) => digest = Digest(token);

    /// <summary>The token, or null when <paramref name="configured"/> is null or empty (no token set).</summary>
    public static SecretToken? From(string? configured) => string.IsNullOrEmpty(configured) ? null : new SecretToken(configured);

    public bool Matches(string? presented) => presented is not null && CryptographicOperations.FixedTimeEquals(digest, Digest(presented));

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
