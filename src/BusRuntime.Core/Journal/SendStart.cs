namespace BusRuntime.Core.Journal;

/// <summary>
/// When sending a message began, left on its send context: the <c>sent</c> entry is recorded once the transport
/// has accepted the message, but stamped with this time, because a fast consumer may have journaled its delivery
/// before the broker's confirm came back.
/// </summary>
internal sealed record SendStart(DateTimeOffset At);
