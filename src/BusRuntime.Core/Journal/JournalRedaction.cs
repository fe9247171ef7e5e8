using System.Text.Json;
using System.Text.Json.Nodes;
using BusRuntime.Contracts;

namespace BusRuntime.Core.Journal;

/// <summary>
/// What the journal keeps out: the values of headers and metadata whose names say they carry credentials
/// (an app's authorization header travels in an invocation's metadata). The journal is readable through
/// the Operations API and kept for days, so such values are replaced before anything is stored.
/// </summary>
public static class JournalRedaction
{
    public const string Redacted = "***";

    private static readonly string[] SensitiveNameParts = ["authorization", "cookie", "token", "secret", "password", "api-key", "apikey"];

    public static bool IsSensitive(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SensitiveNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));
    }

    public static Dictionary<string, string> Redact(IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.ToDictionary(pair => pair.Key, pair => IsSensitive(pair.Key) ? Redacted : pair.Value, StringComparer.Ordinal);
    }

    /// <summary>The message as the journal stores it: the same, with the credentials in its metadata replaced.</summary>
    public static object Redact(object message) => message switch
    {
        InvokeRequest request => request with { Metadata = Redact(request.Metadata) },
        InvokeResponse response => response with { Headers = Redact(response.Headers), Trailers = Redact(response.Trailers) },
        TopicEvent topicEvent => topicEvent with { Metadata = Redact(topicEvent.Metadata) },
        _ => message,
    };

    /// <summary>
    /// A body as the transport carried it (a message nothing consumed, so not deserialized): in JSON, the value of
    /// every property whose name is sensitive, at any depth, is replaced, since the envelope holds the headers and
    /// the message its metadata. The text comes back unchanged when it holds no such property or is not JSON.
    /// </summary>
    public static string RedactJson(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return body;
        }

        return root is not null && RedactNode(root) ? root.ToJsonString() : body;
    }

    private static bool RedactNode(JsonNode node)
    {
        var redacted = false;
        switch (node)
        {
            case JsonObject properties:
                foreach (var (name, value) in properties.ToList())
                {
                    if (IsSensitive(name))
                    {
                        properties[name] = Redacted;
                        redacted = true;
                    }
                    else if (value is not null)
                    {
                        redacted |= RedactNode(value);
                    }
                }

                break;
            case JsonArray items:
                foreach (var item in items)
                {
                    redacted |= item is not null && RedactNode(item);
                }

                break;
        }

        return redacted;
    }
}
