namespace BusRuntime.Core.Transport;

/// <summary>Why a watched send was stopped before the broker confirmed it.</summary>
public enum SendInterruption
{
    /// <summary>Not stopped by its watch (it ended, or its caller's deadline or the publish timeout stopped it).</summary>
    None,

    /// <summary>It had not reached the broker's channel within <see cref="SendInterruptions.StallLimit"/>.</summary>
    Stalled,

    /// <summary>The connection it went out on was lost.</summary>
    ConnectionLost,

    /// <summary>The broker refused it (a basic.nack): it was not published.</summary>
    Refused,
}
