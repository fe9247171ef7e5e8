namespace BusRuntime.Testing;

/// <summary>What an <see cref="HttpTestApp"/> answers a request: a status, a body, its content type and headers.</summary>
public sealed record HttpTestAnswer(int StatusCode, string Body = "", string? ContentType = null)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static HttpTestAnswer Ok { get; } = new(200);
}
