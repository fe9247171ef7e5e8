using System.Text.Json;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// Parses a JSON request body and checks that every string and property name in it is text: JSON may escape a
/// lone surrogate ("\ud800") and a body may carry bytes that are not UTF-8, which the parser accepts and reading
/// the string later throws on. Both are the caller's mistake, answered by <c>malformed</c> like any other.
/// </summary>
public static class JsonBody
{
    public static JsonDocument Parse(byte[] body, Func<string, Exception> malformed)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(malformed);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            throw malformed(body.Length == 0 ? "the body is empty; it must be JSON." : $"the body is not JSON: {exception.Message}");
        }

        try
        {
            EnsureText(document.RootElement);
            return document;
        }
        catch (InvalidOperationException exception)
        {
            document.Dispose();
            throw malformed($"the body has a string that is not valid Unicode ({exception.Message}).");
        }
    }

    private static void EnsureText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    EnsureText(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    EnsureText(item);
                }

                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }
}
