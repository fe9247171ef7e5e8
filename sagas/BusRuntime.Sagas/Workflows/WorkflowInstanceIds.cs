using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace BusRuntime.Sagas.Workflows;

/// <summary>
/// Instance ids are the caller's strings, and they are per app: the saga is keyed by a Guid derived from the
/// starting app's id and the instance id, so any valid string (not only a Guid) names an instance, the same pair
/// always finds the same saga, and the same instance id in two apps names two instances — one app can neither
/// find nor take another's.
/// </summary>
public static partial class WorkflowInstanceIds
{
    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$";

    public static bool IsValid(string instanceId) => InstanceIdRegex().IsMatch(instanceId);

    /// <summary>A new id for a start that named none.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// A name-based (version 8) Guid from the SHA-256 of "{appId}/{instanceId}"; an app id has no '/', so no two
    /// pairs hash the same text.
    /// </summary>
    public static Guid ToCorrelationId(string appId, string instanceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        ArgumentNullException.ThrowIfNull(instanceId);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{appId}/{instanceId}"), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    [GeneratedRegex(Pattern)]
    private static partial Regex InstanceIdRegex();
}
