using System.Text;
using System.Text.Json;
using BusRuntime.Sidecar.Tests.Surface;

namespace BusRuntime.Sidecar.Tests.Fuzzing;

/// <summary>
/// Raw HTTP/1.1 requests for the HTTP port, generated from its route table: every route and verb (and odd
/// verbs), path segments and query parameters at their edges, wrong content types, bodies that are bad JSON,
/// JSON of the wrong shape, escaped lone surrogates, deep nesting or random bytes, huge and many headers,
/// and framing Kestrel has to refuse (chunk sizes that overflow, invalid chunks, conflicting lengths).
/// </summary>
internal static class HttpInputs
{
    private static readonly string[] OddVerbs = ["PROPFIND", "TRACE", "OPTIONS", "HEAD", "PATCH", "get", "X", "DELETE", "PUT", "POST", "GET"];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json", "text/plain", "application/octet-stream", "application/cloudevents+json", "",
        "application/json; charset=utf-16", "multipart/form-data; boundary=", "application/x-www-form-urlencoded", "*/*", "application/json;;;", "\u00e9/\u00e9",
    ];

    /// <summary>One request: a kind (for the tally), its bytes, and a short text of it for a failure message.</summary>
    public static (string Kind, byte[] Request, string Text) Next(Random random, IReadOnlyList<HttpRoute> routes, string token)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(routes);
        var route = EdgeValues.Pick(random, routes);
        var verb = random.Next(8) == 0 ? EdgeValues.Pick(random, OddVerbs) : EdgeValues.Pick(random, route.Verbs);
        var path = route.Path(_ => Segment(random));
        var query = random.Next(3) == 0 ? Query(random) : "";
        var kind = random.Next(20) switch
        {
            0 or 1 or 2 => "random bytes body",
            3 or 4 or 5 or 6 or 7 or 8 or 9 or 10 => "shaped JSON",
            11 or 12 => "bad JSON",
            13 => "huge header",
            14 => "many headers",
            15 => "chunked overflow",
            16 => "invalid chunk",
            17 => "conflicting length",
            18 => "no body",
            _ => "lone surrogate JSON",
        };
        var body = kind switch
        {
            "random bytes body" => EdgeValues.RandomBytes(random, random.Next(0, 600)),
            "shaped JSON" => Encoding.UTF8.GetBytes(ShapedJson(random, route.Text)),
            "bad JSON" => BadJson(random, route.Text),
            "lone surrogate JSON" => Encoding.UTF8.GetBytes(ShapedJson(random, route.Text).Replace("\"k1\"", "\"\\ud800\"", StringComparison.Ordinal)),
            "no body" => [],
            _ => Encoding.UTF8.GetBytes(ShapedJson(random, route.Text)),
        };
        if (kind == "lone surrogate JSON" && !Encoding.UTF8.GetString(body).Contains("\\ud800", StringComparison.Ordinal))
        {
            body = Encoding.UTF8.GetBytes("[{\"key\":\"\\ud800\",\"value\":\"\\udfff\",\"metadata\":{\"\\ud800\":\"x\"}}]");
        }

        var head = new StringBuilder();
        head.Append(verb).Append(' ').Append(path).Append(query).Append(" HTTP/1.1\r\n");
        head.Append("Host: 127.0.0.1\r\n");
        head.Append("Connection: close\r\n");
        if (random.Next(20) != 0)
        {
            head.Append("dapr-api-token: ").Append(token).Append("\r\n");
        }

        var contentType = EdgeValues.Pick(random, ContentTypes);
        if (contentType.Length > 0)
        {
            head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        if (random.Next(6) == 0)
        {
            head.Append("If-Match: ").Append(Header(random)).Append("\r\n");
        }

        if (random.Next(6) == 0)
        {
            head.Append("x-tenant: ").Append(Header(random)).Append("\r\n");
        }

        switch (kind)
        {
            case "huge header":
                head.Append("x-huge: ").Append('h', EdgeValues.Pick(random, [8_000, 16_000, 40_000])).Append("\r\n");
                break;
            case "many headers":
                for (var index = 0; index < EdgeValues.Pick(random, [90, 101, 300]); index++)
                {
                    head.Append("x-h").Append(index).Append(": v\r\n");
                }

                break;
        }

        var bytes = kind switch
        {
            "chunked overflow" => Concat(head.Append("Transfer-Encoding: chunked\r\n\r\n").ToString(), EdgeValues.Pick(random, ["FFFFFFFFFFFFFFFFFFFF", "8000000000000000", "-1", "7FFFFFFFFFFFFFFF"]) + "\r\nabc\r\n0\r\n\r\n"),
            "invalid chunk" => Concat(head.Append("Transfer-Encoding: chunked\r\n\r\n").ToString(), EdgeValues.Pick(random, ["zz\r\nabc\r\n0\r\n\r\n", "3\r\nabcdef\r\n0\r\n\r\n", "3;ext=\u0001\r\nabc\r\n0\r\n\r\n", "3\nabc\n0\n\n"])),
            "conflicting length" => Concat(head.ToString(), EdgeValues.Pick(random, [
                "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
                "Content-Length: -1\r\n\r\nabcd",
                "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n",
                "Content-Length: 99999999999999999999\r\n\r\nabcd",
                "Content-Length: abc\r\n\r\nabcd",
                "Transfer-Encoding: gzip, chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n",
            ])),
            _ when random.Next(8) == 0 => Concat(head.Append("Transfer-Encoding: chunked\r\n\r\n").ToString(), $"{body.Length:X}\r\n", body, "\r\n0\r\n\r\n"),
            _ => Concat(head.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n").ToString(), body),
        };
        var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 600));
        return (kind, bytes, text);
    }

    private static string Segment(Random random) => random.Next(10) switch
    {
        0 => "",
        1 => new string('s', EdgeValues.Pick(random, [200, 2000, 9000])),
        2 => EdgeValues.Pick(random, ["%00", "%2F", "%2f..%2f", "%ZZ", "%", "..", ".", "%E2%80%AE", "%ED%A0%80", "%C0%AF", "a%20b", "~", "%7C%7C"]),
        3 or 4 => Uri.EscapeDataString(EdgeValues.String(random) is { Length: < 3000 } text ? text : "long"),
        _ => EdgeValues.Pick(random, EdgeValues.Plausible),
    };

    private static string Query(Random random)
    {
        var parts = new List<string>();
        for (var count = random.Next(1, 4); count > 0; count--)
        {
            var name = EdgeValues.Pick(random, ["metadata.ttlInSeconds", "metadata.rawPayload", "metadata.contentType", "metadata.", "concurrency", "consistency", "appid", "metadata.x", "%00", "a"]);
            parts.Add($"{name}={Uri.EscapeDataString(EdgeValues.String(random) is { Length: < 500 } text ? text : "v")}");
        }

        return "?" + string.Join('&', parts);
    }

    private static string Header(Random random)
    {
        var value = EdgeValues.String(random);
        var printable = new string([.. value.Where(character => character is >= ' ' and < '\u007f')]);
        return printable.Length is > 0 and < 4000 ? printable : "x";
    }

    /// <summary>JSON shaped as the route expects it, with values from the edge cases.</summary>
    private static string ShapedJson(Random random, string route)
    {
        if (route.EndsWith("/bulk", StringComparison.Ordinal))
        {
            return Json(new Dictionary<string, object?> { ["keys"] = List(random, () => Text(random)), ["parallelism"] = EdgeValues.Int32(random), ["metadata"] = Metadata(random) });
        }

        if (route.EndsWith("/transaction", StringComparison.Ordinal))
        {
            return Json(new Dictionary<string, object?>
            {
                ["operations"] = List(random, () => new Dictionary<string, object?>
                {
                    ["operation"] = EdgeValues.Pick(random, ["upsert", "delete", "upsert", "merge", ""]),
                    ["request"] = random.Next(8) == 0 ? null : StateItem(random),
                }),
                ["metadata"] = Metadata(random),
            });
        }

        if (route.StartsWith("/v1.0/state", StringComparison.Ordinal))
        {
            return Json(List(random, () => StateItem(random)));
        }

        if (route.Contains("/publish/bulk", StringComparison.Ordinal))
        {
            return Json(List(random, () => new Dictionary<string, object?>
            {
                ["entryId"] = Text(random),
                ["event"] = random.Next(2) == 0 ? Text(random) : new Dictionary<string, object?> { ["a"] = EdgeValues.Int64(random) },
                ["contentType"] = EdgeValues.Pick(random, ["application/json", "text/plain", "application/octet-stream", "application/xml", "", "image/png"]),
                ["metadata"] = Metadata(random),
            }));
        }

        return random.Next(2) == 0
            ? Json(new Dictionary<string, object?> { ["data"] = Text(random), ["n"] = EdgeValues.Int64(random) })
            : Json(Text(random));
    }

    private static Dictionary<string, object?> StateItem(Random random) => new()
    {
        ["key"] = random.Next(8) == 0 ? EdgeValues.Int32(random) : Text(random),
        ["value"] = random.Next(2) == 0 ? Text(random) : new Dictionary<string, object?> { ["n"] = EdgeValues.Double(random) is var value && double.IsFinite(value) ? value : 1 },
        ["etag"] = random.Next(3) == 0 ? EdgeValues.Pick(random, ["1", "-1", "0", "", "abc", "99999999999999999999"]) : null,
        ["options"] = random.Next(3) == 0 ? new Dictionary<string, object?> { ["concurrency"] = EdgeValues.Pick(random, ["first-write", "last-write", "x", ""]) } : null,
        ["metadata"] = Metadata(random),
    };

    private static Dictionary<string, object?>? Metadata(Random random)
    {
        if (random.Next(3) != 0)
        {
            return null;
        }

        var metadata = new Dictionary<string, object?>();
        for (var count = random.Next(1, 4); count > 0; count--)
        {
            metadata[EdgeValues.Pick(random, ["ttlInSeconds", "contentType", "rawPayload", "x", ""]) + (random.Next(4) == 0 ? Text(random) : "")] =
                random.Next(6) == 0 ? EdgeValues.Int32(random) : Text(random);
        }

        return metadata;
    }

    private static string Text(Random random) => random.Next(2) == 0 ? "k1" : EdgeValues.String(random);

    private static List<object?> List(Random random, Func<object?> item)
    {
        var list = new List<object?>();
        for (var count = random.Next(10) == 0 ? 200 : random.Next(0, 4); count > 0; count--)
        {
            list.Add(item());
        }

        return list;
    }

    private static byte[] BadJson(Random random, string route)
    {
        var valid = ShapedJson(random, route);
        return random.Next(9) switch
        {
            0 => Encoding.UTF8.GetBytes(valid[..random.Next(0, Math.Max(1, valid.Length))]),
            1 => Encoding.UTF8.GetBytes(new string('[', 2000) + new string(']', 2000)),
            2 => Encoding.UTF8.GetBytes("[{\"key\":\"k\",\"value\":1e99999,\"etag\":12345678901234567890123}]"),
            3 => Encoding.UTF8.GetBytes("[{\"key\":\"k\",\"key\":\"j\",\"value\":{\"a\":1,\"a\":2}}]"),
            4 => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(valid)],
            5 => Encoding.UTF8.GetBytes(valid + " trailing"),
            6 => Encoding.UTF8.GetBytes("[{\"key\":\"k\\x\",\"value\":\"\\u12\"}]"),
            7 => [.. Encoding.UTF8.GetBytes("[{\"key\":\""), 0xC3, 0x28, 0xED, 0xA0, 0x80, .. Encoding.UTF8.GetBytes("\"}]")],
            _ => Encoding.UTF8.GetBytes("/* comment */ " + valid),
        };
    }

    private static string Json(object? value) => JsonSerializer.Serialize(value);

    private static byte[] Concat(params object[] parts)
    {
        using var buffer = new MemoryStream();
        foreach (var part in parts)
        {
            var bytes = part as byte[] ?? Encoding.UTF8.GetBytes((string)part);
            buffer.Write(bytes);
        }

        return buffer.ToArray();
    }
}
