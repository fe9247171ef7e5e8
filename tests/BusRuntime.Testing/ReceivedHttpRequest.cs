namespace BusRuntime.Testing;

/// <summary>A request an <see cref="HttpTestApp"/> received: verb, path, query string (with its '?'), headers (lower-case names), content type and body.</summary>
public sealed record ReceivedHttpRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string? ContentType, byte[] Body)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}
