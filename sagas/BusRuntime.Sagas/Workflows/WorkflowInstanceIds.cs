using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace BusRuntime.Sagas.Workflows;

/// <summary>
/// Instance ids are the caller's strings; the saga is keyed by a Guid derived from them, so any valid string
/// (not only a Guid) names an instance, and the same string always finds the same saga.
/// </summary>
public static partial class WorkflowInstanceIds
{
    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$";

    public static bool IsValid(string instanceId) => InstanceIdRegex().IsMatch(instanceId);

    /// <summary>A new id for a start that named none.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>A name-based (version 8) Guid from the id's SHA-256.</summary>
    public static Guid ToCorrelationId(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(instanceId), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    [GeneratedRegex(Pattern)]
    private static partial Regex InstanceIdRegex();
}
