using System.Text;

namespace BusRuntime.Sidecar.Tests.Fuzzing;

/// <summary>The values fuzzed inputs are made of: plausible names the sidecar knows, and the edge cases around them.</summary>
internal static class EdgeValues
{
    /// <summary>Names that reach past the first validation: the embedded sidecar's components, its app id, simple keys.</summary>
    public static readonly string[] Plausible =
        ["statestore", "pubsub", "configstore", "lockstore", "sequencer", "secretstore", "envsecrets", "fuzz", "orders", "k1", "owner", "m", "1"];

    private static readonly string[] Edges =
    [
        "", " ", "x", "a||b", "||", "../..", "a/b", "a.b", "-", "_", "*", "%", "%00", "%2F", "\0", "\u0001\u001f", "\r\n", "\t",
        "é", "😀", "\uFFFD", "\uFEFF", "\u200B", "ｆｕｌｌ", "İ", "ß", "\u0301", "a\u0000b",
        "upsert", "delete", "first-write", "last-write", "GET", "POST", "DELETE", "HEAD", "CONNECT",
        "-1", "0", "9999999999999999999", "1e308", "NaN", "true", "null", "{}", "[]", "\"", "'", "\\",
        "grpc-status", "te", "content-type", "dapr-api-token", "traceparent", "busruntime-caller-app-id", "ttlInSeconds", "-bin", "x-bin",
        "application/json", "text/plain", "application/octet-stream", "application/cloudevents+json",
        "Running", "COMPLETED", "FAILED", "dead", "orders_error", "fuzz.pubsub.orders", "fuzz.pubsub.orders_error",
        "00000000-0000-0000-0000-000000000000", "0b7d0000-0000-0000-0000-000000000000",
    ];

    public static string String(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.Next(10) switch
        {
            0 or 1 or 2 => Pick(random, Plausible),
            3 or 4 or 5 => Pick(random, Edges),
            6 => new string((char)random.Next('a', 'z' + 1), Pick(random, [47, 48, 49, 64, 65, 128, 129, 255, 256, 257, 1024, 4097, 65536])),
            7 => RandomUnicode(random, random.Next(1, 40)),
            8 => RandomAscii(random, random.Next(1, 80)),
            _ => Pick(random, Plausible) + Pick(random, Edges),
        };
    }

    public static int Int32(Random random) => random.Next(8) switch
    {
        0 => 0,
        1 => -1,
        2 => int.MaxValue,
        3 => int.MinValue,
        4 => random.Next(1, 100),
        5 => Pick(random, [1000, 1001, 65536, 100000]),
        6 => -random.Next(1, 1000),
        _ => random.Next(),
    };

    public static long Int64(Random random) => random.Next(8) switch
    {
        0 => 0,
        1 => -1,
        2 => long.MaxValue,
        3 => long.MinValue,
        4 => 253402300800, // 10000-01-01, past DateTimeOffset
        5 => -62135596801, // before 0001-01-01
        6 => random.Next(1, 100),
        _ => random.NextInt64(),
    };

    public static double Double(Random random) =>
        Pick(random, [0.0, -0.0, 1.5, -1, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.Epsilon]);

    public static byte[] Bytes(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.Next(6) switch
        {
            0 => [],
            1 => Encoding.UTF8.GetBytes(Pick(random, ["{}", "{\"a\":1}", "[1,2]", "\"s\"", "null", "<x/>", "{\"key\":\"\\ud800\"}"])),
            2 => RandomBytes(random, random.Next(1, 64)),
            3 => RandomBytes(random, Pick(random, [1023, 1024, 1025, 4096, 65536])),
            4 => [0xED, 0xA0, 0x80, 0xC3, 0x28, 0xFF, 0xFE],
            _ => Encoding.UTF8.GetBytes(String(random)),
        };
    }

    public static byte[] RandomBytes(Random random, int length)
    {
        ArgumentNullException.ThrowIfNull(random);
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    public static T Pick<T>(Random random, IReadOnlyList<T> values)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(values);
        return values[random.Next(values.Count)];
    }

    private static string RandomUnicode(Random random, int length)
    {
        var text = new StringBuilder();
        for (var index = 0; index < length; index++)
        {
            var codePoint = random.Next(4) switch
            {
                0 => random.Next(0x20, 0x7F),
                1 => random.Next(0x80, 0xD800),
                2 => random.Next(0xE000, 0x10000),
                _ => random.Next(0x10000, 0x110000),
            };
            text.Append(char.ConvertFromUtf32(codePoint));
        }

        return text.ToString();
    }

    private static string RandomAscii(Random random, int length)
    {
        var text = new char[length];
        for (var index = 0; index < length; index++)
        {
            text[index] = (char)random.Next(0, 128);
        }

        return new string(text);
    }
}
