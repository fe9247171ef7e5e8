using System.Text;
using System.Text.Json;
using BusRuntime.Core.Errors;
using BusRuntime.Core.State;
using Microsoft.AspNetCore.Http;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// Reads the JSON bodies of Dapr's state routes into the state primitive's requests. A body that is not
/// the shape Dapr documents is ERR_MALFORMED_REQUEST naming the field; what the values mean (keys,
/// etags, TTLs) is left to the state primitive, as for every other façade.
/// </summary>
public static class StateBody
{
    private const string Upsert = "upsert";
    private const string Delete = "delete";

    /// <summary>The body of POST /v1.0/state/{store}: <c>[{"key","value","etag","options","metadata"}]</c>.</summary>
    public static IReadOnlyList<StateChange> ReadSave(byte[] body, IReadOnlyDictionary<string, string> queryMetadata)
    {
        ArgumentNullException.ThrowIfNull(queryMetadata);
        using var document = Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw Malformed($"the body is a JSON {Describe(root.ValueKind)}; it must be an array of {{\"key\", \"value\", \"etag\", \"options\", \"metadata\"}}.");
        }

        return [.. root.EnumerateArray().Select((item, index) => ReadUpsert(item, $"[{index}]", EmptyMetadata, queryMetadata))];
    }

    /// <summary>The keys of POST /v1.0/state/{store}/bulk: <c>{"keys":[…],"parallelism":n,"metadata":{…}}</c>.</summary>
    public static IReadOnlyList<string> ReadBulkKeys(byte[] body)
    {
        using var document = Parse(body);
        var root = RequireObject(document.RootElement, "the body");
        if (!JsonFields.TryGet(root, "keys", out var keys) || keys.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (keys.ValueKind != JsonValueKind.Array)
        {
            throw Malformed($"keys is a JSON {Describe(keys.ValueKind)}; it must be an array of strings.");
        }

        return [.. keys.EnumerateArray().Select((key, index) => key.ValueKind == JsonValueKind.String
            ? key.GetString()!
            : throw Malformed($"keys[{index}] is a JSON {Describe(key.ValueKind)}; keys are strings."))];
    }

    /// <summary>
    /// The operations of POST /v1.0/state/{store}/transaction:
    /// <c>{"operations":[{"operation":"upsert"|"delete","request":{…}}],"metadata":{…}}</c>.
    /// </summary>
    public static IReadOnlyList<StateChange> ReadTransaction(byte[] body, IReadOnlyDictionary<string, string> queryMetadata)
    {
        ArgumentNullException.ThrowIfNull(queryMetadata);
        using var document = Parse(body);
        var root = RequireObject(document.RootElement, "the body");
        var defaults = ReadMetadata(root, "");
        if (!JsonFields.TryGet(root, "operations", out var operations) || operations.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (operations.ValueKind != JsonValueKind.Array)
        {
            throw Malformed($"operations is a JSON {Describe(operations.ValueKind)}; it must be an array of {{\"operation\", \"request\"}}.");
        }

        return [.. operations.EnumerateArray().Select((operation, index) =>
        {
            var field = $"operations[{index}]";
            RequireObject(operation, field);
            var kind = ReadString(operation, "operation", field) ?? "";
            if (!JsonFields.TryGet(operation, "request", out var request) || request.ValueKind == JsonValueKind.Null)
            {
                throw Malformed($"{field}.request is missing; every operation needs a request with at least a key.");
            }

            return kind switch
            {
                Upsert => ReadUpsert(request, $"{field}.request", defaults, queryMetadata),
                Delete => ReadDelete(request, $"{field}.request"),
                _ => throw new DaprHttpException(StatusCodes.Status400BadRequest, DaprErrorCodes.NotSupportedStateOperation,
                    $"operation type {Quoted.Bare(kind)} not supported: {field}.operation must be one of: {Upsert}, {Delete}."),
            };
        })];
    }

    /// <summary>The concurrency Dapr names in options.concurrency or the concurrency query parameter.</summary>
    public static StateConcurrency ReadConcurrency(string? value, string field) => value switch
    {
        null or "" or "last-write" => StateConcurrency.LastWrite,
        "first-write" => StateConcurrency.FirstWrite,
        _ => throw Malformed($"{field} {Quoted.Of(value)} is not one of: first-write, last-write."),
    };

    /// <summary>
    /// Dapr treats an empty etag as none (its stores check <c>HasETag</c>), where the state primitive
    /// reads "" as "the key must not exist": the façade passes an empty etag on as no etag.
    /// </summary>
    public static string? ReadETag(string? etag) => string.IsNullOrEmpty(etag) ? null : etag;

    private static StateChange ReadUpsert(JsonElement item, string field, IReadOnlyDictionary<string, string> defaults, IReadOnlyDictionary<string, string> queryMetadata)
    {
        RequireObject(item, field);
        var metadata = new Dictionary<string, string>(defaults, StringComparer.Ordinal);
        foreach (var (key, entry) in ReadMetadata(item, field))
        {
            metadata[key] = entry;
        }

        // As in Dapr, the metadata.* query parameters win over the body's.
        foreach (var (key, entry) in queryMetadata)
        {
            metadata[key] = entry;
        }

        // Dapr stores a value as its JSON text: an object as the object, a string with its quotes, no value as null.
        var value = JsonFields.TryGet(item, "value", out var raw) ? Encoding.UTF8.GetBytes(raw.GetRawText()) : "null"u8.ToArray();
        return StateChange.Upsert(
            ReadString(item, "key", field) ?? "",
            value,
            ReadETag(ReadString(item, "etag", field)),
            ReadOptionsConcurrency(item, field),
            metadata);
    }

    private static StateChange ReadDelete(JsonElement item, string field)
    {
        RequireObject(item, field);
        return StateChange.Delete(ReadString(item, "key", field) ?? "", ReadETag(ReadString(item, "etag", field)), ReadOptionsConcurrency(item, field));
    }

    private static StateConcurrency ReadOptionsConcurrency(JsonElement item, string field)
    {
        if (!JsonFields.TryGet(item, "options", out var options) || options.ValueKind == JsonValueKind.Null)
        {
            return StateConcurrency.LastWrite;
        }

        RequireObject(options, field + ".options");
        return ReadConcurrency(ReadString(options, "concurrency", field + ".options"), field + ".options.concurrency");
    }

    private static string? ReadString(JsonElement item, string name, string field)
    {
        if (!JsonFields.TryGet(item, name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Malformed($"{field}.{name} is a JSON {Describe(value.ValueKind)}; it must be a string.");
    }

    /// <summary>The "metadata" object of <paramref name="item"/>; <paramref name="owner"/> names the item in messages ("" for the body).</summary>
    private static Dictionary<string, string> ReadMetadata(JsonElement item, string owner)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var field = owner.Length == 0 ? "metadata" : owner + ".metadata";
        if (!JsonFields.TryGet(item, "metadata", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return metadata;
        }

        RequireObject(element, field);
        foreach (var property in element.EnumerateObject())
        {
            metadata[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw Malformed($"{field}.{Quoted.Bare(property.Name)} is a JSON {Describe(property.Value.ValueKind)}; metadata values are strings.");
        }

        return metadata;
    }

    private static JsonElement RequireObject(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.Object
            ? element
            : throw Malformed($"{field} is a JSON {Describe(element.ValueKind)}; it must be an object.");

    private static JsonDocument Parse(byte[] body) => JsonBody.Parse(body, Malformed);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static DaprHttpException Malformed(string detail) =>
        new(StatusCodes.Status400BadRequest, DaprErrorCodes.MalformedRequest, $"failed deserializing HTTP body: {detail}");

    private static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>();
}
