namespace BusRuntime.Core.Resources;

/// <summary>
/// One node of a resource file as <see cref="YamlNodes"/> reads it: a scalar's text, a mapping's entries in file
/// order, or a sequence's items, with the line it starts on for error messages.
/// </summary>
internal sealed class YamlNode
{
    private YamlNode(long line, string? scalar, IReadOnlyList<KeyValuePair<string, YamlNode>>? entries, IReadOnlyList<YamlNode>? items)
    {
        Line = line;
        Scalar = scalar;
        Entries = entries;
        Items = items;
    }

    public long Line { get; }

    /// <summary>The text of a scalar (empty for an empty value); null for a mapping or a sequence.</summary>
    public string? Scalar { get; }

    /// <summary>The entries of a mapping, keys unique; null for a scalar or a sequence.</summary>
    public IReadOnlyList<KeyValuePair<string, YamlNode>>? Entries { get; }

    /// <summary>The items of a sequence; null for a scalar or a mapping.</summary>
    public IReadOnlyList<YamlNode>? Items { get; }

    /// <summary>What the node is, for a message: "a mapping", "a sequence", "a scalar".</summary>
    public string Shape => Scalar is not null ? "a scalar" : Entries is not null ? "a mapping" : "a sequence";

    public static YamlNode OfScalar(long line, string text) => new(line, text, null, null);

    public static YamlNode OfMapping(long line, IReadOnlyList<KeyValuePair<string, YamlNode>> entries) => new(line, null, entries, null);

    public static YamlNode OfSequence(long line, IReadOnlyList<YamlNode> items) => new(line, null, null, items);

    /// <summary>The value of a mapping's <paramref name="key"/>; null when the node is no mapping or has no such key.</summary>
    public YamlNode? Get(string key) => Entries?.FirstOrDefault(entry => entry.Key == key).Value;
}
