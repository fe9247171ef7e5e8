using System.Text.Json;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Subscriptions;

namespace BusRuntime.AppCallback.Http;

/// <summary>
/// Reads the app's <c>GET /dapr/subscribe</c> answer as daprd does: a JSON array of subscriptions, each with
/// <c>pubsubname</c>, <c>topic</c>, v1's <c>route</c> or v2's <c>routes</c> (<c>rules</c> of <c>match</c> and <c>path</c>,
/// <c>default</c>), <c>deadLetterTopic</c>, <c>bulkSubscribe</c> and <c>metadata</c>; field names match in any case, as Go's
/// decoder matches them. A bad entry is left out with a problem that names it (by position, pub/sub and topic) and the
/// field; the others are kept. An entry with no route at all is left out, as daprd leaves it out.
/// </summary>
public static class HttpSubscriptionParser
{
    /// <summary>The most bytes of the answer read.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The most subscriptions one app may list.</summary>
    public const int MaxSubscriptions = 1000;

    /// <summary>The subscriptions of <paramref name="body"/>; throws INVALID_ARGUMENT when the answer as a whole is not a list of them.</summary>
    public static IReadOnlyList<HttpAppSubscription> Parse(ReadOnlySpan<byte> body, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (body.IsEmpty)
        {
            return [];
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException exception)
        {
            throw RuntimeException.InvalidArgument($"the answer to GET /dapr/subscribe is not JSON: {exception.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                throw RuntimeException.InvalidArgument($"the answer to GET /dapr/subscribe is a JSON {Kind(root)}; it must be an array of subscriptions.");
            }

            var count = root.GetArrayLength();
            if (count > MaxSubscriptions)
            {
                throw RuntimeException.InvalidArgument($"the answer to GET /dapr/subscribe lists {count} subscriptions; at most {MaxSubscriptions} are allowed.");
            }

            var subscriptions = new List<HttpAppSubscription>(count);
            var seen = new Dictionary<(string, string), int>();
            var position = 0;
            foreach (var entry in root.EnumerateArray())
            {
                position++;
                var subscription = Entry(entry, position, problems);
                if (subscription is null)
                {
                    continue;
                }

                if (seen.TryGetValue((subscription.PubsubName, subscription.Topic), out var first))
                {
                    problems.Add($"{Name(position, subscription.PubsubName, subscription.Topic)}: subscription {first} already subscribes to this topic; left out.");
                    continue;
                }

                seen[(subscription.PubsubName, subscription.Topic)] = position;
                subscriptions.Add(subscription);
            }

            return subscriptions;
        }
    }

    private static HttpAppSubscription? Entry(JsonElement entry, int position, ICollection<string> problems)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"subscription {position} is a JSON {Kind(entry)}, not an object; left out.");
            return null;
        }

        string? pubsubName = null;
        string? topic = null;
        try
        {
            pubsubName = Text(entry, "pubsubname");
            topic = Text(entry, "topic");
            if (string.IsNullOrEmpty(pubsubName) || string.IsNullOrEmpty(topic))
            {
                throw new FormatException(string.IsNullOrEmpty(pubsubName) ? "it names no pubsubname" : "it names no topic");
            }

            var rules = new List<(string Match, string Path)>();
            string? defaultRoute = null;
            if (Field(entry, "routes") is { ValueKind: not JsonValueKind.Null } routes)
            {
                Expect(routes, JsonValueKind.Object, "routes");
                if (Field(routes, "rules") is { ValueKind: not JsonValueKind.Null } ruleList)
                {
                    Expect(ruleList, JsonValueKind.Array, "routes.rules");
                    var index = 0;
                    foreach (var rule in ruleList.EnumerateArray())
                    {
                        index++;
                        Expect(rule, JsonValueKind.Object, $"routes.rules[{index}]");
                        rules.Add((Text(rule, "match", $"routes.rules[{index}].match") ?? "", Text(rule, "path", $"routes.rules[{index}].path") ?? ""));
                    }
                }

                defaultRoute = NonEmpty(Text(routes, "default", "routes.default"));
            }

            defaultRoute ??= NonEmpty(Text(entry, "route"));
            if (rules.Count == 0 && defaultRoute is null)
            {
                throw new FormatException("it has no route (route, routes.default or routes.rules), so no event could be delivered");
            }

            var metadata = Metadata(entry);
            if (metadata.TryGetValue(SubscriptionSpec.RawPayloadKey, out var raw))
            {
                GoBool(raw, $"metadata.{SubscriptionSpec.RawPayloadKey}");
            }

            var subscription = new HttpAppSubscription(pubsubName, topic)
            {
                Rules = rules,
                DefaultRoute = defaultRoute,
                DeadLetterTopic = NonEmpty(Text(entry, "deadLetterTopic")),
                Metadata = metadata,
            };
            if (Field(entry, "bulkSubscribe") is { ValueKind: not JsonValueKind.Null } bulk)
            {
                Expect(bulk, JsonValueKind.Object, "bulkSubscribe");
                subscription = subscription with
                {
                    BulkEnabled = Field(bulk, "enabled") is { } enabled && Flag(enabled, "bulkSubscribe.enabled"),
                    BulkMaxMessagesCount = Count(bulk, "maxMessagesCount"),
                    BulkMaxAwaitDurationMs = Count(bulk, "maxAwaitDurationMs"),
                };
            }

            return subscription;
        }
        catch (FormatException problem)
        {
            problems.Add($"{Name(position, pubsubName, topic)}: {problem.Message}; left out.");
            return null;
        }
    }

    private static string Name(int position, string? pubsubName, string? topic) =>
        pubsubName is null && topic is null
            ? $"subscription {position}"
            : $"subscription {position} (pubsubname {Quoted.Of(pubsubName)}, topic {Quoted.Of(topic)})";

    /// <summary>A property by its name in any case, as Go's encoding/json matches struct fields.</summary>
    private static JsonElement? Field(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string? Text(JsonElement element, string name, string? shown = null) =>
        Field(element, name) switch
        {
            null or { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.String } value => value.GetString(),
            { } value => throw new FormatException($"{shown ?? name} is a JSON {Kind(value)}; it must be a string"),
        };

    private static bool Flag(JsonElement value, string shown) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False or JsonValueKind.Null => false,
        _ => throw new FormatException($"{shown} is a JSON {Kind(value)}; it must be true or false"),
    };

    private static int Count(JsonElement bulk, string name)
    {
        if (Field(bulk, name) is not { ValueKind: not JsonValueKind.Null } value)
        {
            return 0;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0
            ? count
            : throw new FormatException($"bulkSubscribe.{name} must be a whole number from 0 to {int.MaxValue}");
    }

    private static Dictionary<string, string> Metadata(JsonElement entry)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Field(entry, "metadata") is not { ValueKind: not JsonValueKind.Null } value)
        {
            return metadata;
        }

        Expect(value, JsonValueKind.Object, "metadata");
        foreach (var property in value.EnumerateObject())
        {
            metadata[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw new FormatException($"metadata[{Quoted.Of(property.Name)}] is a JSON {Kind(property.Value)}; metadata values must be strings");
        }

        return metadata;
    }

    /// <summary>A boolean as Go's strconv.ParseBool reads it, which is how daprd reads rawPayload.</summary>
    private static bool GoBool(string value, string shown) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw new FormatException($"{shown} is {Quoted.Of(value)}; it must be true or false"),
    };

    private static void Expect(JsonElement element, JsonValueKind kind, string shown)
    {
        if (element.ValueKind != kind)
        {
            throw new FormatException($"{shown} is a JSON {Kind(element)}; it must be a JSON {kind.ToString().ToLowerInvariant()}");
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var kind => kind.ToString().ToLowerInvariant(),
    };
}
