using System.Text;
using System.Text.Json;
using BusRuntime.Core.Errors;

namespace BusRuntime.AppCallback.Http;

/// <summary>Reading what an HTTP app answered, bounded.</summary>
internal static class HttpAppAnswers
{
    /// <summary>The most bytes of an answer to an event read; beyond it the answer is not JSON, which daprd reads as SUCCESS.</summary>
    public const int MaxEventAnswerBytes = 64 * 1024;

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var copy = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (copy.Length + read > limit)
                {
                    return null;
                }

                await copy.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            return copy.ToArray();
        }
    }

    /// <summary>The status of a 2xx answer to an event as daprd reads <c>{"status": …}</c>: "" when the body is empty or not that object.</summary>
    public static string? Status(byte[]? body)
    {
        if (body is null || body.Length == 0)
        {
            return "";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return document.RootElement.ValueKind == JsonValueKind.Null ? "" : null;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name.Equals("status", StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Null => "",
                        _ => null,
                    };
                }
            }

            return "";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The status of each entry of a bulk answer <c>{"statuses": [{"entryId", "status"}]}</c>; null when the body is not that JSON.</summary>
    public static Dictionary<string, string>? BulkStatuses(byte[]? body)
    {
        if (body is null || body.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("statuses", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in list.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object
                    && entry.TryGetProperty("entryId", out var id) && id.ValueKind == JsonValueKind.String
                    && entry.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String)
                {
                    statuses[id.GetString()!] = status.GetString()!;
                }
            }

            return statuses;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A body as a log line shows it: text, quoted and cut.</summary>
    public static string Shown(byte[]? body) => body is null ? "(too long to show)" : Quoted.Of(Encoding.UTF8.GetString(body));
}
