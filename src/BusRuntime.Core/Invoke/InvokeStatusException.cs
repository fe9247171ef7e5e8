using BusRuntime.Contracts;

namespace BusRuntime.Core.Invoke;

/// <summary>
/// The target app answered with a status other than OK. It reaches the caller unchanged: its code, its
/// message, and the app's headers and trailers.
/// </summary>
public sealed class InvokeStatusException(InvokeResponse response) : Exception(response?.StatusMessage)
{
    public InvokeResponse Response { get; } = response ?? throw new ArgumentNullException(nameof(response));
}
