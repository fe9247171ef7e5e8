using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Invoke;

/// <summary>
/// The gRPC status codes, by number, as they travel in <see cref="Contracts.InvokeResponse.StatusCode"/>:
/// the core speaks the wire's numbers without depending on a gRPC library.
/// </summary>
public static class InvokeStatus
{
    public const int Ok = 0;
    public const int Unknown = 2;
    public const int DeadlineExceeded = 4;
    public const int ResourceExhausted = 8;
    public const int Internal = 13;
    public const int Unavailable = 14;

    private static readonly string[] Names = [.. Enum.GetValues<CanonicalCode>().Select(code => CanonicalCodes.Name(code).ToLowerInvariant())];

    /// <summary>The status's name for metrics and logs, e.g. "unavailable".</summary>
    public static string Name(int code) => code >= 0 && code < Names.Length ? Names[code] : Names[Unknown];

    /// <summary>
    /// Whether a status says the target failed rather than answered: these count against its circuit
    /// breaker. INVALID_ARGUMENT, NOT_FOUND and the like are answers.
    /// </summary>
    public static bool IsFailure(int code) => code is Unknown or DeadlineExceeded or Internal or Unavailable;
}
