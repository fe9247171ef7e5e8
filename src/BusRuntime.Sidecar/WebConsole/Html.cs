using System.Globalization;
using System.Text.Encodings.Web;
using Google.Protobuf.WellKnownTypes;

namespace BusRuntime.Sidecar.WebConsole;

/// <summary>The few pieces every page is written with; every text that comes from the sidecar or the request goes through <see cref="Text"/>.</summary>
internal static class Html
{
    /// <summary><paramref name="value"/> encoded for an element's content or a quoted attribute.</summary>
    public static string Text(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    /// <summary><paramref name="value"/> encoded for a query string inside an attribute.</summary>
    public static string Query(string value) => Text(Uri.EscapeDataString(value));

    public static string Time(Timestamp? time) =>
        time is null ? "" : time.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A table with a caption, its header row and its rows (already written); an empty one says so in a row of its own.</summary>
    public static string Table(string caption, IReadOnlyList<string> headers, IReadOnlyCollection<string> rows, string empty, string? bodyId = null) =>
        $"""
        <table>
        <caption>{Text(caption)}</caption>
        <thead><tr>{string.Concat(headers.Select(header => $"<th scope=\"col\">{Text(header)}</th>"))}</tr></thead>
        <tbody{(bodyId is null ? "" : $" id=\"{bodyId}\"")}>{(rows.Count == 0 ? EmptyRow(headers.Count, empty) : string.Concat(rows))}</tbody>
        </table>
        """;

    public static string EmptyRow(int columns, string text) => $"<tr><td colspan=\"{Number(columns)}\">{Text(text)}</td></tr>";

    public static string Row(params string[] cells) => $"<tr>{string.Concat(cells.Select(cell => $"<td>{cell}</td>"))}</tr>";
}
