using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace BusRuntime.Sidecar.Tests.Fuzzing;

/// <summary>
/// Request messages for an rpc, generated from its request's descriptor: random bytes, plausible messages
/// (the names the sidecar knows, so calls get past the first check), plausible messages with one field set to
/// an edge value (huge, empty, unicode, negative, out of range), huge repeated fields, maps with odd keys,
/// and valid messages truncated, with flipped bytes or with unknown fields appended.
/// </summary>
internal static class ProtobufInputs
{
    private const int MaxDepth = 4;

    /// <summary>One input: a kind (for the tally) and the messages to send (one for unary calls, one or more on streams).</summary>
    public static (string Kind, IReadOnlyList<byte[]> Messages) Next(Random random, MessageDescriptor request, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(request);
        var count = streaming ? random.Next(1, 4) : 1;
        var kind = random.Next(20) switch
        {
            0 or 1 => "random bytes",
            2 => "empty",
            3 or 4 or 5 or 6 => "plausible",
            7 or 8 or 9 or 10 or 11 or 12 => "mutated field",
            13 => "huge repeated",
            14 => "odd map keys",
            15 or 16 => "truncated",
            17 or 18 => "flipped bytes",
            _ => "unknown fields",
        };
        var messages = new List<byte[]>();
        for (var index = 0; index < count; index++)
        {
            // Streams mostly open with a plausible first message, so what follows reaches the stream's own handling.
            var messageKind = streaming && index == 0 && count > 1 && random.Next(2) == 0 ? "plausible" : kind;
            messages.Add(Message(random, request, messageKind));
        }

        return (kind, messages);
    }

    private static byte[] Message(Random random, MessageDescriptor request, string kind) => kind switch
    {
        "random bytes" => EdgeValues.RandomBytes(random, random.Next(1, 300)),
        "empty" => [],
        "plausible" => Build(random, request, 0, Mode.Plausible).ToByteArray(),
        "mutated field" => Mutate(random, Build(random, request, 0, Mode.Plausible)).ToByteArray(),
        "huge repeated" => Build(random, request, 0, Mode.HugeRepeated).ToByteArray(),
        "odd map keys" => Build(random, request, 0, Mode.OddMaps).ToByteArray(),
        "truncated" => Truncate(random, Build(random, request, 0, Mode.Plausible).ToByteArray()),
        "flipped bytes" => Flip(random, Build(random, request, 0, Mode.Plausible).ToByteArray()),
        _ => [.. Build(random, request, 0, Mode.Plausible).ToByteArray(), .. UnknownField(random)],
    };

    private enum Mode
    {
        Plausible,
        HugeRepeated,
        OddMaps,
    }

    private static IMessage Build(Random random, MessageDescriptor descriptor, int depth, Mode mode)
    {
        var message = descriptor.Parser.ParseFrom(ByteString.Empty);
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            if (random.Next(4) == 0 || (field.FieldType == FieldType.Message && depth >= MaxDepth) || field.FieldType == FieldType.Group)
            {
                continue;
            }

            if (field.IsMap)
            {
                var map = (IDictionary)field.Accessor.GetValue(message);
                var huge = mode == Mode.HugeRepeated && depth == 0 && random.Next(2) == 0;
                var entries = huge ? 2000 : random.Next(0, 4);
                var keyField = field.MessageType.FindFieldByNumber(1);
                var valueField = field.MessageType.FindFieldByNumber(2);
                for (var index = 0; index < entries; index++)
                {
                    var key = huge ? Small(keyField, index)!
                        : mode == Mode.OddMaps && keyField.FieldType == FieldType.String ? EdgeValues.String(random) : Value(random, keyField, depth, mode);
                    map[key] = huge ? Small(valueField, index) ?? Build(random, valueField.MessageType, MaxDepth, Mode.Plausible) : Value(random, valueField, depth, mode);
                }
            }
            else if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                var huge = mode == Mode.HugeRepeated && depth == 0 && random.Next(2) == 0;
                var items = huge ? (field.FieldType == FieldType.Message ? 500 : 5000) : random.Next(0, 4);
                for (var index = 0; index < items; index++)
                {
                    list.Add(huge ? Small(field, index) ?? Build(random, field.MessageType, MaxDepth, Mode.Plausible) : Value(random, field, depth, mode));
                }
            }
            else
            {
                field.Accessor.SetValue(message, Value(random, field, depth, mode));
            }
        }

        return message;
    }

    private static object Value(Random random, FieldDescriptor field, int depth, Mode mode) => field.FieldType switch
    {
        FieldType.String => mode == Mode.Plausible && random.Next(3) != 0 ? PlausibleText(random, field) : EdgeValues.String(random),
        FieldType.Bytes => ByteString.CopyFrom(EdgeValues.Bytes(random)),
        FieldType.Bool => random.Next(2) == 0,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => mode == Mode.Plausible && random.Next(2) == 0 ? random.Next(1, 60) : EdgeValues.Int32(random),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => EdgeValues.Int64(random),
        FieldType.UInt32 or FieldType.Fixed32 => unchecked((uint)EdgeValues.Int32(random)),
        FieldType.UInt64 or FieldType.Fixed64 => unchecked((ulong)EdgeValues.Int64(random)),
        FieldType.Double => EdgeValues.Double(random),
        FieldType.Float => (float)EdgeValues.Double(random),
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, random.Next(5) == 0 ? EdgeValues.Int32(random) : field.EnumType.Values[random.Next(field.EnumType.Values.Count)].Number),
        _ => Build(random, field.MessageType, depth + 1, mode),
    };

    /// <summary>A small distinct value of a scalar field (the items of a huge repeated field or map); null for a message field.</summary>
    private static object? Small(FieldDescriptor field, int index) => field.FieldType switch
    {
        FieldType.String => $"k{index}",
        FieldType.Bytes => ByteString.CopyFromUtf8($"{index}"),
        FieldType.Bool => index % 2 == 0,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => index,
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => (long)index,
        FieldType.UInt32 or FieldType.Fixed32 => (uint)index,
        FieldType.UInt64 or FieldType.Fixed64 => (ulong)index,
        FieldType.Double => (double)index,
        FieldType.Float => (float)index,
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, field.EnumType.Values[index % field.EnumType.Values.Count].Number),
        _ => null,
    };

    /// <summary>A value the field's name suggests, so the call gets past the checks of names it knows.</summary>
    private static string PlausibleText(Random random, FieldDescriptor field) => field.Name switch
    {
        "store_name" => EdgeValues.Pick(random, ["statestore", "configstore", "lockstore", "sequencer", "secretstore", "envsecrets"]),
        "pubsub_name" => "pubsub",
        "topic" or "to_topic" => EdgeValues.Pick(random, ["orders", "fuzz-topic", "a.b"]),
        "app_id" or "id" or "to_app_id" => EdgeValues.Pick(random, ["fuzz", "other-app"]),
        "content_type" or "data_content_type" => EdgeValues.Pick(random, ["application/json", "text/plain", "application/octet-stream"]),
        "operation_type" or "operationType" => EdgeValues.Pick(random, ["upsert", "delete"]),
        "http_verb" or "verb" => EdgeValues.Pick(random, ["GET", "POST"]),
        "concurrency" => EdgeValues.Pick(random, ["first-write", "last-write"]),
        "queue" => EdgeValues.Pick(random, ["fuzz.pubsub.orders", "fuzz.pubsub.orders_error"]),
        _ => EdgeValues.Pick(random, EdgeValues.Plausible),
    };

    /// <summary>The message with one of its set fields (or a field of a nested message) set to an edge value.</summary>
    private static IMessage Mutate(Random random, IMessage message)
    {
        var fields = message.Descriptor.Fields.InDeclarationOrder().Where(field => field.FieldType != FieldType.Group).ToList();
        if (fields.Count == 0)
        {
            return message;
        }

        var field = EdgeValues.Pick(random, fields);
        if (field.FieldType == FieldType.Message && !field.IsRepeated && !field.IsMap && field.Accessor.GetValue(message) is IMessage nested && random.Next(2) == 0)
        {
            Mutate(random, nested);
            return message;
        }

        if (field.IsMap)
        {
            var map = (IDictionary)field.Accessor.GetValue(message);
            var keyField = field.MessageType.FindFieldByNumber(1);
            map[keyField.FieldType == FieldType.String ? EdgeValues.String(random) : Value(random, keyField, MaxDepth, Mode.OddMaps)] =
                Value(random, field.MessageType.FindFieldByNumber(2), MaxDepth - 1, Mode.OddMaps);
        }
        else if (field.IsRepeated)
        {
            ((IList)field.Accessor.GetValue(message)).Add(Value(random, field, MaxDepth - 1, Mode.OddMaps));
        }
        else if (field.FieldType != FieldType.Message)
        {
            field.Accessor.SetValue(message, Value(random, field, MaxDepth, Mode.OddMaps));
        }

        return message;
    }

    private static byte[] Truncate(Random random, byte[] bytes) => bytes.Length <= 1 ? [0x0A] : bytes[..random.Next(1, bytes.Length)];

    private static byte[] Flip(Random random, byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return [0xFF];
        }

        var flipped = (byte[])bytes.Clone();
        for (var flips = random.Next(1, 4); flips > 0; flips--)
        {
            flipped[random.Next(flipped.Length)] ^= (byte)random.Next(1, 256);
        }

        return flipped;
    }

    // A field number no request uses, with each wire type (and the group types, which proto3 does not have).
    private static byte[] UnknownField(Random random) => random.Next(5) switch
    {
        0 => [0xF8, 0xFF, 0xFF, 0xFF, 0x0F, 0x01],
        1 => [0xA2, 0x06, 0x03, 0x61, 0x62, 0x63],
        2 => [0xA5, 0x06, 0x01, 0x02, 0x03, 0x04],
        3 => [0xA3, 0x06, 0xA4, 0x06],
        _ => [0xA2, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
    };
}
