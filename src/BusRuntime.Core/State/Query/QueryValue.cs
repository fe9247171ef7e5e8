using System.Text.Json;

namespace BusRuntime.Core.State.Query;

/// <summary>
/// A value a filter compares with: a JSON string, a finite number, true, false or null (never an object or an
/// array). <see cref="Json"/> is the value as the query gave it.
/// </summary>
public sealed record QueryValue(QueryValueKind Kind, JsonElement Json)
{
    /// <summary>The value's JSON text: <c>"CA"</c>, <c>12.5</c>, <c>true</c>, <c>null</c>.</summary>
    public string RawText => Json.GetRawText();

    public override string ToString() => RawText;
}
