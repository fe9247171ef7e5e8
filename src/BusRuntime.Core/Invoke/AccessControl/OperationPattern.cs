namespace BusRuntime.Core.Invoke.AccessControl;

/// <summary>
/// An operation name of Dapr's access control matched against a cleaned method, segment by segment: <c>*</c> inside a
/// segment stands for any characters, a segment <c>*</c> for one segment (last: also none, as Dapr's
/// <c>/op/*</c> matches <c>/op</c>), a segment <c>**</c> for any number of segments.
/// </summary>
internal sealed class OperationPattern
{
    private const string AnySegments = "**";
    private const string AnySegment = "*";

    private readonly string[] segments;

    public OperationPattern(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name.StartsWith('/') ? name : "/" + name;
        segments = Name[1..].Split('/');
    }

    /// <summary>The name with its leading '/'.</summary>
    public string Name { get; }

    /// <summary>Whether a cleaned method (a leading '/' added when missing) matches; <paramref name="ignoreCase"/> as Dapr matches calls to HTTP apps.</summary>
    public bool Matches(string method, bool ignoreCase)
    {
        ArgumentNullException.ThrowIfNull(method);
        var parts = (method.StartsWith('/') ? method[1..] : method).Split('/');

        // matched[s, p]: the segments from s on match the parts from p on. Filled from the ends, so the time is
        // segments × parts whatever the wildcards.
        var matched = new bool[segments.Length + 1, parts.Length + 1];
        matched[segments.Length, parts.Length] = true;
        for (var s = segments.Length - 1; s >= 0; s--)
        {
            var segment = segments[s];
            for (var p = parts.Length; p >= 0; p--)
            {
                matched[s, p] = segment switch
                {
                    AnySegments => matched[s + 1, p] || (p < parts.Length && matched[s, p + 1]),
                    AnySegment when s == segments.Length - 1 && p == parts.Length => true,
                    _ => p < parts.Length && matched[s + 1, p + 1] && Glob(segment, parts[p], ignoreCase),
                };
            }
        }

        return matched[0, 0];
    }

    /// <summary>A segment with '*' for any run of characters (Dapr's isMatch), in time pattern × text at worst.</summary>
    private static bool Glob(string pattern, string text, bool ignoreCase)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && Same(pattern[p], text[t], ignoreCase))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool Same(char expected, char actual, bool ignoreCase) =>
        expected == actual || (ignoreCase && char.ToLowerInvariant(expected) == char.ToLowerInvariant(actual));
}
