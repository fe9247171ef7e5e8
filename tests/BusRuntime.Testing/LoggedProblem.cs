namespace BusRuntime.Testing;

/// <summary>An entry a sidecar logged at Warning or above, or with an exception.</summary>
public sealed record LoggedProblem(LogLevel Level, string Category, int EventId, string Message, Exception? Exception)
{
    public override string ToString() =>
        $"{Level} {Category}[{EventId}]: {Message}{(Exception is null ? "" : $" [{Exception.GetType().Name}: {Exception.Message}]")}";
}
