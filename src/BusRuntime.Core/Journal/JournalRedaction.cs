using System.Buffers;
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

    // One search for all the parts, as each name's Contains(part, OrdinalIgnoreCase) would find them.
    private static readonly SearchValues<string> SensitiveNameParts =
        SearchValues.Create(["authorization", "cookie", "token", "secret", "password", "api-key", "apikey"], StringComparison.OrdinalIgnoreCase);

    public static bool IsSensitive(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.AsSpan().ContainsAny(SensitiveNameParts);
    }

    public static Dictionary<string, string> Redact(IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var redacted = new Dictionary<string, string>(values.TryGetNonEnumeratedCount(out var count) ? count : 0, StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            redacted[key] = IsSensitive(key) ? Redacted : value;
        }

        return redacted;
    }

    /// <summary>
    /// <paramref name="values"/> as the journal stores them: themselves when no name is sensitive (most messages'), else
    /// a copy with those values replaced.
    /// </summary>
    public static IReadOnlyDictionary<string, string> RedactIfSensitive(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var key in values.Keys)
        {
            if (IsSensitive(key))
            {
                return Redact(values);
            }
        }

        return values;
    }

    /// <summary>The message as the journal stores it: the same, with the credentials in its metadata replaced.</summary>
    public static object Redact(object message) => message switch
    {
        InvokeRequest request => RedactIfSensitive(request.Metadata) is var metadata && ReferenceEquals(metadata, request.Metadata)
            ? request
            : request with { Metadata = metadata },
        InvokeResponse response => (RedactIfSensitive(response.Headers), RedactIfSensitive(response.Trailers)) is var (headers, trailers)
            && ReferenceEquals(headers, response.Headers) && ReferenceEquals(trailers, response.Trailers)
            ? response
            : response with { Headers = headers, Trailers = trailers },
        TopicEvent topicEvent => RedactIfSensitive(topicEvent.Metadata) is var metadata && ReferenceEquals(metadata, topicEvent.Metadata)
            ? topicEvent
            : topicEvent with { Metadata = metadata },
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
