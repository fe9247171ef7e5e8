using System.Text;
using System.Text.Json;
using BusRuntime.Core.Errors;
using BusRuntime.Core.PubSub;
using Microsoft.AspNetCore.Http;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// Reads the body of POST /v1.0-alpha1/publish/bulk/{pubsub}/{topic}:
/// <c>[{"entryId","event","contentType","metadata"}]</c>. As in Dapr, an event's bytes depend on its
/// content type: JSON types take the event's JSON text, text and XML types a JSON string's value,
/// application/octet-stream a base64 string's bytes; anything else does not fit its event and is 400.
/// </summary>
public static class BulkPublishBody
{
    public static IReadOnlyList<BulkPublishEntry> Read(byte[] body)
    {
        using (var document = JsonBody.Parse(body, Mismatch))
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw Mismatch("the body must be an array of {\"entryId\", \"event\", \"contentType\", \"metadata\"}.");
            }

            return [.. document.RootElement.EnumerateArray().Select(ReadEntry)];
        }
    }

    private static BulkPublishEntry ReadEntry(JsonElement entry, int index)
    {
        var field = $"[{index}]";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Mismatch($"{field} must be an object.");
        }

        var contentType = Text(entry, "contentType", field) ?? "";
        var data = JsonFields.TryGet(entry, "event", out var value) ? ToBytes(value, contentType, field) : [];
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (JsonFields.TryGet(entry, "metadata", out var entries) && entries.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in entries.EnumerateObject())
            {
                metadata[property.Name] = property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString()!
                    : throw Mismatch($"{field}.metadata.{Quoted.Bare(property.Name)} must be a string.");
            }
        }

        return new BulkPublishEntry(Text(entry, "entryId", field) ?? "", data, contentType, metadata);
    }

    private static byte[] ToBytes(JsonElement value, string contentType, string field)
    {
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(value.GetRawText());
        }

        if (mediaType.StartsWith("text/", StringComparison.Ordinal) || mediaType.EndsWith("/xml", StringComparison.Ordinal))
        {
            return value.ValueKind == JsonValueKind.String
                ? Encoding.UTF8.GetBytes(value.GetString()!)
                : throw Mismatch($"{field}.event must be a string for content type {Quoted.Of(contentType)}.");
        }

        if (mediaType == "application/octet-stream" && value.ValueKind == JsonValueKind.String)
        {
            try
            {
                return Convert.FromBase64String(value.GetString()!);
            }
            catch (FormatException)
            {
                throw Mismatch($"{field}.event is not base64, as application/octet-stream events must be.");
            }
        }

        throw Mismatch($"{field}.event does not match its content type {Quoted.Of(contentType)} (JSON types, text/*, */xml or base64 application/octet-stream).");
    }

    private static string? Text(JsonElement entry, string name, string field) =>
        !JsonFields.TryGet(entry, name, out var value) || value.ValueKind == JsonValueKind.Null
            ? null
            : value.ValueKind == JsonValueKind.String ? value.GetString() : throw Mismatch($"{field}.{name} must be a string.");

    private static DaprHttpException Mismatch(string detail) =>
        new(StatusCodes.Status400BadRequest, DaprErrorCodes.PubSubEventsSerialization, $"failed to read the bulk publish events: {detail}");
}
