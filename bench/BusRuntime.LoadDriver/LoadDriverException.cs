namespace BusRuntime.LoadDriver;

/// <summary>The run cannot go on; the message says what is wrong and what to do about it.</summary>
public sealed class LoadDriverException : Exception
{
    public LoadDriverException()
    {
    }

    public LoadDriverException(string message)
        : base(message)
    {
    }

    public LoadDriverException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
