using System.Text;
using Microsoft.AspNetCore.Routing.Patterns;

namespace BusRuntime.Sidecar.Tests.Surface;

/// <summary>One route of the HTTP port's route table and the verbs it answers.</summary>
public sealed record HttpRoute(RoutePattern Pattern, IReadOnlyList<string> Verbs)
{
    /// <summary>Every verb a route without verb metadata (it answers any) is tried with.</summary>
    public static readonly IReadOnlyList<string> AnyVerb = ["GET", "POST", "PUT", "DELETE", "PATCH"];

    public string Text => Pattern.RawText ?? "";

    /// <summary>The route's path with each parameter given by <paramref name="value"/> (already escaped as the caller wants it).</summary>
    public string Path(Func<RoutePatternParameterPart, string> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var path = new StringBuilder();
        foreach (var segment in Pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart parameter => value(parameter),
                    _ => "",
                });
            }
        }

        return path.Length == 0 ? "/" : path.ToString();
    }
}
