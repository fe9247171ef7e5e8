using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace BusRuntime.Sidecar.Tests.Fuzzing;

/// <summary>
/// Sends a request as raw bytes on a connection of its own and reads the answer to the end, so requests an
/// HTTP client would refuse to write reach the server as they are. Null when no complete answer came in time.
/// </summary>
internal static class RawHttp
{
    public static async Task<RawHttpAnswer?> SendAsync(int port, byte[] request, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancel.Token);
            try
            {
                await socket.SendAsync(request, SocketFlags.None, cancel.Token);
            }
            catch (SocketException)
            {
                // The server may answer and close before it read the whole request (a header too large, say).
            }

            using var received = new MemoryStream();
            var buffer = new byte[16 * 1024];
            while (true)
            {
                int read;
                try
                {
                    read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token);
                }
                catch (SocketException) when (received.Length > 0)
                {
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                await received.WriteAsync(buffer.AsMemory(0, read), cancel.Token);
                if (IsComplete(received.GetBuffer().AsSpan(0, (int)received.Length)))
                {
                    break;
                }
            }

            return Parse(received.ToArray());
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (SocketException)
        {
            return new RawHttpAnswer(0, "", "", "");
        }
    }

    /// <summary>Whether the bytes hold a whole answer, so a server that keeps the connection open a while after it is not waited for.</summary>
    private static bool IsComplete(ReadOnlySpan<byte> response)
    {
        var headerEnd = response.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            return false;
        }

        var head = Encoding.ASCII.GetString(response[..headerEnd]);
        var body = response[(headerEnd + 4)..];
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return body.EndsWith("0\r\n\r\n"u8);
        }

        var lengthAt = head.IndexOf("Content-Length: ", StringComparison.OrdinalIgnoreCase);
        if (lengthAt >= 0)
        {
            var start = lengthAt + "Content-Length: ".Length;
            var end = head.IndexOf('\r', start);
            return long.TryParse(end < 0 ? head[start..] : head[start..end], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length)
                && body.Length >= length;
        }

        return head.StartsWith("HTTP/1.1 204", StringComparison.Ordinal) || head.StartsWith("HTTP/1.1 304", StringComparison.Ordinal);
    }

    private static RawHttpAnswer Parse(byte[] response)
    {
        var text = Encoding.UTF8.GetString(response);
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || headerEnd < 0 || text.Length < 12)
        {
            return new RawHttpAnswer(0, "", "", text.Length > 200 ? text[..200] : text);
        }

        var status = int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        var head = text[..headerEnd];
        var body = text[(headerEnd + 4)..];
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        var message = "";
        var errorCode = "";
        if (head.Contains("application/json", StringComparison.OrdinalIgnoreCase) && body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("message", out var property) && property.ValueKind == JsonValueKind.String)
                {
                    message = property.GetString() ?? "";
                }

                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("errorCode", out var code) && code.ValueKind == JsonValueKind.String)
                {
                    errorCode = code.GetString() ?? "";
                }
            }
            catch (JsonException)
            {
                message = "";
                errorCode = "";
            }
        }

        return new RawHttpAnswer(status, message, errorCode, body.Length > 300 ? body[..300] : body);
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0 || !int.TryParse(body.AsSpan(position, lineEnd - position), System.Globalization.NumberStyles.HexNumber, null, out var size) || size == 0)
            {
                break;
            }

            var start = lineEnd + 2;
            result.Append(body, start, Math.Min(size, body.Length - start));
            position = start + size + 2;
        }

        return result.ToString();
    }
}
