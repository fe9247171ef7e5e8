namespace BusRuntime.Sagas.Activities;

/// <summary>
/// A step, or its compensation, did not get an OK answer. Courier carries only an exception's type and
/// message to the saga, so the message starts with the gRPC status name: "UNAVAILABLE: no replica …".
/// </summary>
public sealed class StepFailedException : Exception
{
    public StepFailedException()
    {
    }

    public StepFailedException(string message)
        : base(message)
    {
    }

    public StepFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StepFailedException(string status, string message, Exception? innerException)
        : base($"{status}: {message}", innerException)
    {
    }

    /// <summary>Splits a message made by this exception into the status name and the rest.</summary>
    public static (string Status, string Message) Parse(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return ("UNKNOWN", "");
        }

        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && message[..colon].All(character => char.IsAsciiLetterUpper(character) || character == '_')
            ? (message[..colon], message[(colon + 2)..])
            : ("UNKNOWN", message);
    }
}
