using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BusRuntime.Sidecar.WebConsole;

/// <summary>
/// A journaled body as an operator reads it: a topic event's data decoded — pretty JSON when it is JSON, hex
/// otherwise — apart from the envelope around it. The journal redacted both before it kept them.
/// </summary>
internal sealed record EventBody(string? Data, bool DataIsJson, string Envelope)
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };

    private const int HexBytesPerLine = 16;

    public static EventBody Of(string body)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return new EventBody(null, false, body);
        }

        if (node is not JsonObject envelope || envelope["data"] is not JsonValue value || !value.TryGetValue<string>(out var base64))
        {
            return new EventBody(null, false, node?.ToJsonString(Pretty) ?? "null");
        }

        byte[] data;
        try
        {
            data = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return new EventBody(null, false, envelope.ToJsonString(Pretty));
        }

        envelope.Remove("data");
        try
        {
            var json = JsonNode.Parse(Encoding.UTF8.GetString(data));
            return new EventBody(json?.ToJsonString(Pretty) ?? "null", true, envelope.ToJsonString(Pretty));
        }
        catch (JsonException)
        {
            return new EventBody(Hex(data), false, envelope.ToJsonString(Pretty));
        }
    }

    /// <summary>Offset, bytes and their printable characters, 16 bytes a line, as hexdump -C writes them.</summary>
    private static string Hex(byte[] data)
    {
        var text = new StringBuilder();
        for (var offset = 0; offset < data.Length; offset += HexBytesPerLine)
        {
            var line = data.AsSpan(offset, Math.Min(HexBytesPerLine, data.Length - offset));
            text.Append(offset.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).Append("  ");
            for (var i = 0; i < HexBytesPerLine; i++)
            {
                text.Append(i < line.Length ? line[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + " " : "   ");
            }

            text.Append(" |");
            foreach (var b in line)
            {
                text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
            }

            text.Append("|\n");
        }

        return text.ToString();
    }
}
