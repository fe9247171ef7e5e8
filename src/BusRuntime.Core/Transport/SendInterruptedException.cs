namespace BusRuntime.Core.Transport;

/// <summary>A send stopped by its <see cref="SendWatch"/> after the message reached the broker's channel.</summary>
public sealed class SendInterruptedException : Exception
{
    public SendInterruptedException()
    {
    }

    public SendInterruptedException(string message)
        : base(message)
    {
    }

    public SendInterruptedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SendInterruptedException(SendInterruption interruption, Exception innerException)
        : base($"The send was interrupted: {interruption}.", innerException)
    {
        Interruption = interruption;
    }

    public SendInterruption Interruption { get; }
}
