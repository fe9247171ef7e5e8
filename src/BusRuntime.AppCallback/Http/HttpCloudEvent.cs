using System.Text;
using System.Text.Json;
using BusRuntime.Contracts;
using BusRuntime.Core.Subscriptions;

namespace BusRuntime.AppCallback.Http;

/// <summary>
/// The CloudEvent an HTTP app receives for an event (<c>application/cloudevents+json</c>), shaped as daprd's envelope:
/// <c>id</c>, <c>source</c> (the publisher's app id), <c>type</c>, <c>specversion</c>, <c>datacontenttype</c>, the data
/// (<c>data</c> as JSON when the content type is JSON and the bytes are JSON, <c>data_base64</c> for
/// <c>application/octet-stream</c>, else <c>data</c> as text), <c>topic</c>, <c>pubsubname</c>, the publisher's trace
/// context (<c>traceid</c>, <c>traceparent</c>, <c>tracestate</c>), then the publisher's metadata as extensions.
/// </summary>
public static class HttpCloudEvent
{
    public const string ContentType = "application/cloudevents+json";

    private const string BinaryContentType = "application/octet-stream";

    public static byte[] Envelope(DeliveredTopicEvent delivered)
    {
        ArgumentNullException.ThrowIfNull(delivered);
        var topicEvent = delivered.Event;
        return Write(delivered, topicEvent.Type, topicEvent.DataContentType, withMetadata: true);
    }

    /// <summary>
    /// The envelope of a subscription with <c>rawPayload</c>: daprd wraps the bytes as they are, whatever their content
    /// type, in <c>data_base64</c> with <c>application/octet-stream</c>.
    /// </summary>
    public static byte[] RawEnvelope(DeliveredTopicEvent delivered)
    {
        ArgumentNullException.ThrowIfNull(delivered);
        return Write(delivered, TopicEvent.DaprDefaultType, BinaryContentType, withMetadata: false);
    }

    /// <summary>The type of daprd's bulk envelope.</summary>
    public const string BulkType = "com.dapr.event.sent.bulk";

    /// <summary>
    /// daprd's bulk CloudEvent for HTTP apps (<c>application/json</c>): <c>id</c>, <c>type</c>, <c>topic</c>, <c>pubsubname</c>,
    /// <c>metadata</c> and <c>entries</c>, each with <c>entryId</c> (the event's id), <c>event</c> (its CloudEvent, or with
    /// rawPayload its bytes in base64), <c>metadata</c> and <c>contentType</c> (with rawPayload the event's own, else
    /// <c>application/octet-stream</c>, as daprd).
    /// </summary>
    public static byte[] BulkEnvelope(string id, string pubsubName, string topic, IReadOnlyList<DeliveredTopicEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("type", BulkType);
            writer.WriteString("topic", topic);
            writer.WriteString("pubsubname", pubsubName);
            writer.WriteStartObject("metadata");
            writer.WriteEndObject();
            writer.WriteStartArray("entries");
            foreach (var delivered in events)
            {
                writer.WriteStartObject();
                writer.WriteString("entryId", delivered.Id);
                writer.WritePropertyName("event");
                var rawPayload = delivered.RawPayload;
                if (rawPayload)
                {
                    writer.WriteBase64StringValue(delivered.Event.Data);
                }
                else
                {
                    WriteEvent(writer, delivered, delivered.Event.Type, delivered.Event.DataContentType, withMetadata: true);
                }

                writer.WriteStartObject("metadata");
                foreach (var (key, value) in delivered.Event.Metadata)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
                writer.WriteString("contentType", !rawPayload ? ContentType
                    : string.IsNullOrEmpty(delivered.Event.DataContentType) ? BinaryContentType
                    : delivered.Event.DataContentType);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Write(DeliveredTopicEvent delivered, string type, string dataContentType, bool withMetadata)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(delivered.Event.Data.Length + 512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteEvent(writer, delivered, type, dataContentType, withMetadata);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteEvent(Utf8JsonWriter writer, DeliveredTopicEvent delivered, string type, string dataContentType, bool withMetadata)
    {
        var topicEvent = delivered.Event;
        writer.WriteStartObject();
        writer.WriteString("id", delivered.Id);
        writer.WriteString("source", topicEvent.Source);
        writer.WriteString("type", type);
        writer.WriteString("specversion", topicEvent.SpecVersion);
        writer.WriteString("datacontenttype", dataContentType);
        WriteData(writer, topicEvent.Data, dataContentType);
        writer.WriteString("topic", topicEvent.Topic);
        writer.WriteString("pubsubname", topicEvent.PubsubName);
        if (delivered.TraceParent is not null)
        {
            writer.WriteString("traceid", delivered.TraceParent);
            writer.WriteString("traceparent", delivered.TraceParent);
        }

        if (delivered.TraceState is not null)
        {
            writer.WriteString("tracestate", delivered.TraceState);
        }

        if (withMetadata)
        {
            foreach (var (key, value) in topicEvent.Metadata)
            {
                // Extensions never replace the envelope's own fields.
                if (!IsEnvelopeField(key))
                {
                    writer.WriteString(key, value);
                }
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter writer, byte[] data, string contentType)
    {
        var mediaType = MediaType(contentType);
        if (mediaType == BinaryContentType)
        {
            writer.WriteBase64String("data_base64", data);
        }
        else if ((mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal)) && IsJson(data))
        {
            writer.WritePropertyName("data");
            writer.WriteRawValue(data, skipInputValidation: true);
        }
        else
        {
            writer.WriteString("data", Encoding.UTF8.GetString(data));
        }
    }

    private static string MediaType(string contentType)
    {
        var separator = contentType.IndexOf(';', StringComparison.Ordinal);
        return (separator < 0 ? contentType : contentType[..separator]).Trim().ToLowerInvariant();
    }

    private static bool IsJson(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = 256 });
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsEnvelopeField(string key) => key is "id" or "source" or "type" or "specversion" or "datacontenttype"
        or "data" or "data_base64" or "topic" or "pubsubname" or "traceid" or "traceparent" or "tracestate";
}
