namespace BusRuntime.Core.Invoke;

/// <summary>
/// A method name as the target app receives it and as its access control matches it: cleaned as Dapr cleans it
/// (dapr/dapr pkg/messaging/method NormalizeMethod), so that <c>public/../admin</c> is not let through as
/// <c>public/*</c> and then served as <c>admin</c>.
/// </summary>
public static class InvokeMethod
{
    /// <summary>
    /// The cleaned method: '#', '?', NUL and control characters refused; empty, '.' and '..' segments resolved as a
    /// path is (<c>a//b/./c/../d</c> is <c>a/b/d</c>; a leading '/' stays). Null with <paramref name="problem"/> when refused.
    /// </summary>
    public static string? Normalize(string method, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(method);
        var forbidden = method.IndexOfAny(['#', '?', '\0']);
        if (forbidden >= 0)
        {
            problem = $"method contains '{(method[forbidden] == '\0' ? "\\0" : method[forbidden].ToString())}' at position {forbidden}; a method is a path without query or fragment.";
            return null;
        }

        var control = method.AsSpan().IndexOfAnyInRange('\u0001', '\u001f');
        var delete = method.IndexOf('\u007f', StringComparison.Ordinal);
        if (control >= 0 || delete >= 0)
        {
            problem = $"method contains a control character at position {(control >= 0 && (delete < 0 || control < delete) ? control : delete)}.";
            return null;
        }

        problem = null;
        var rooted = method.StartsWith('/');
        var segments = new List<string>();
        foreach (var segment in method.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    break;
                case "..":
                    if (segments.Count > 0 && segments[^1] != "..")
                    {
                        segments.RemoveAt(segments.Count - 1);
                    }
                    else if (!rooted)
                    {
                        segments.Add(segment);
                    }

                    break;
                default:
                    segments.Add(segment);
                    break;
            }
        }

        // What climbs above a relative method's start is dropped, as Dapr does after path.Clean.
        var start = 0;
        while (start < segments.Count && segments[start] == "..")
        {
            start++;
        }

        return (rooted ? "/" : "") + string.Join('/', segments.Skip(start));
    }
}
