using BusRuntime.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace BusRuntime.Core.Resources;

/// <summary>
/// Reads the YAML documents of one resource file into <see cref="YamlNode"/> trees with YamlDotNet's parser,
/// bounded: at most <see cref="MaxDepth"/> levels of nesting and <see cref="MaxNodes"/> nodes a file. Anchors
/// are kept as references to the same node, never expanded, so aliases cannot multiply a file's size.
/// </summary>
internal static class YamlNodes
{
    public const int MaxDepth = 32;
    public const int MaxNodes = 100_000;

    /// <summary>The file's documents in order (an empty document is a null entry); malformed YAML throws naming the file and the line.</summary>
    public static IReadOnlyList<YamlNode?> Read(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(new StringReader(text));
        var documents = new List<YamlNode?>();
        var reader = new Reader(parser, file);
        try
        {
            parser.MoveNext();
            Expect<StreamStart>(parser, file);
            parser.MoveNext();
            while (parser.Current is DocumentStart)
            {
                parser.MoveNext();
                var node = parser.Current is DocumentEnd ? null : reader.Node(1);

                // An empty document (two "---" in a row) is nothing, not an empty scalar.
                documents.Add(node is { Scalar.Length: 0 } ? null : node);
                Expect<DocumentEnd>(parser, file);
                parser.MoveNext();
                reader.ClearAnchors();
            }

            Expect<StreamEnd>(parser, file);
        }
        catch (YamlException invalid)
        {
            // YamlDotNet's message describes the syntax, not the values around it.
            throw new InvalidOperationException($"{file}: line {invalid.Start.Line}: not valid YAML: {invalid.Message}");
        }

        return documents;
    }

    private static void Expect<TEvent>(IParser parser, string file)
        where TEvent : ParsingEvent
    {
        if (parser.Current is not TEvent)
        {
            throw new InvalidOperationException($"{file}: line {parser.Current?.Start.Line}: not valid YAML: unexpected {parser.Current?.GetType().Name}.");
        }
    }

    private sealed class Reader(IParser parser, string file)
    {
        private readonly Dictionary<string, YamlNode> anchors = new(StringComparer.Ordinal);
        private int count;

        public void ClearAnchors() => anchors.Clear();

        public YamlNode Node(int depth)
        {
            var current = parser.Current ?? throw new InvalidOperationException($"{file}: not valid YAML: it ends inside a node.");
            var line = current.Start.Line;
            if (depth > MaxDepth)
            {
                throw new InvalidOperationException($"{file}: line {line}: nested deeper than {MaxDepth} levels.");
            }

            if (++count > MaxNodes)
            {
                throw new InvalidOperationException($"{file}: line {line}: more than {MaxNodes} nodes.");
            }

            YamlNode node;
            switch (current)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    return anchors.TryGetValue(alias.Value.Value, out var anchored)
                        ? anchored
                        : throw new InvalidOperationException($"{file}: line {line}: alias *{Quoted.Bare(alias.Value.Value)} names no anchor before it.");
                case Scalar scalar:
                    parser.MoveNext();
                    node = YamlNode.OfScalar(line, scalar.Value);
                    break;
                case SequenceStart:
                    parser.MoveNext();
                    var items = new List<YamlNode>();
                    while (parser.Current is not SequenceEnd)
                    {
                        items.Add(Node(depth + 1));
                    }

                    parser.MoveNext();
                    node = YamlNode.OfSequence(line, items);
                    break;
                case MappingStart:
                    parser.MoveNext();
                    var entries = new List<KeyValuePair<string, YamlNode>>();
                    var keys = new HashSet<string>(StringComparer.Ordinal);
                    while (parser.Current is not MappingEnd)
                    {
                        var key = Node(depth + 1);
                        if (key.Scalar is null)
                        {
                            throw new InvalidOperationException($"{file}: line {key.Line}: a mapping key must be a scalar, not {key.Shape}.");
                        }

                        if (!keys.Add(key.Scalar))
                        {
                            throw new InvalidOperationException($"{file}: line {key.Line}: key {Quoted.Of(key.Scalar)} appears twice in one mapping.");
                        }

                        entries.Add(new KeyValuePair<string, YamlNode>(key.Scalar, Node(depth + 1)));
                    }

                    parser.MoveNext();
                    node = YamlNode.OfMapping(line, entries);
                    break;
                default:
                    throw new InvalidOperationException($"{file}: line {line}: not valid YAML: unexpected {current.GetType().Name}.");
            }

            if (current is NodeEvent { Anchor.IsEmpty: false } withAnchor)
            {
                anchors[withAnchor.Anchor.Value] = node;
            }

            return node;
        }
    }
}
