using System.Text;
using System.Text.Json;
using BusRuntime.Core.Errors;
using Cel;

namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// A routing rule's match: a CEL expression over the variable <c>event</c>, the CloudEvent as Dapr gives it (id, source,
/// type, specversion, datacontenttype, topic, pubsubname, the trace fields, the publisher's extensions, and data: a JSON
/// body as a map, text as a string). Bounded in length and nesting, as the CEL parser recurses; an expression that
/// cannot be evaluated for an event (a field it lacks, a comparison of different types) is false for that event.
/// </summary>
internal sealed class RouteCondition
{
    /// <summary>The longest match expression.</summary>
    public const int MaxLength = 1024;

    /// <summary>The deepest nesting of parentheses, brackets and braces.</summary>
    public const int MaxDepth = 32;

    private const string EventVariable = "event";

    private static readonly CelEnvironment Environment = new(null, null);

    private readonly CelProgramDelegate program;

    private RouteCondition(CelProgramDelegate program) => this.program = program;

    /// <summary>Compiles <paramref name="match"/>; INVALID_ARGUMENT naming <paramref name="name"/> when it is not a bounded, boolean CEL expression over <c>event</c>.</summary>
    public static RouteCondition Compile(string? match, string name)
    {
        if (string.IsNullOrWhiteSpace(match))
        {
            throw RuntimeException.InvalidArgument($"{name} has an empty match expression.");
        }

        if (match.Length > MaxLength)
        {
            throw RuntimeException.InvalidArgument($"the match expression of {name} is {match.Length} characters long; at most {MaxLength} are allowed.");
        }

        EnsureNesting(match, name);
        CelProgramDelegate program;
        try
        {
            program = Environment.Compile(match);
        }
        catch (CelException exception)
        {
            throw RuntimeException.InvalidArgument($"the match expression of {name} is not valid CEL: {Quoted.Bare(exception.Message)}");
        }

        // CEL binds names and functions when it evaluates: one evaluation on an event with no data finds an unknown
        // variable or function, and a result that is not a boolean, where the path to them does not depend on the data.
        object? probe;
        try
        {
            probe = program(Variables(Probe));
        }
        catch (Exception exception) when (exception is CelUndeclaredReferenceException or CelUnboundFunctionException)
        {
            throw RuntimeException.InvalidArgument($"the match expression of {name} uses what CEL does not know here (only the variable 'event' is defined): {Quoted.Bare(exception.Message)}");
        }
        catch (CelException)
        {
            return new RouteCondition(program);
        }

        if (probe is not bool)
        {
            throw RuntimeException.InvalidArgument($"the match expression of {name} does not return a boolean.");
        }

        return new RouteCondition(program);
    }

    /// <summary>True when the expression is true for the event; false when it is false or cannot be evaluated for it.</summary>
    public bool IsMet(IDictionary<string, object?> variables)
    {
        try
        {
            return program(variables) is true;
        }
        catch (CelException)
        {
            return false;
        }
    }

    /// <summary>The CEL variables of an event: <c>event</c>, the CloudEvent as a map.</summary>
    public static IDictionary<string, object?> Variables(DeliveredTopicEvent delivered)
    {
        var topicEvent = delivered.Event;
        var cloudEvent = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in topicEvent.Metadata)
        {
            cloudEvent[key] = value;
        }

        cloudEvent["id"] = delivered.Id;
        cloudEvent["source"] = topicEvent.Source;
        cloudEvent["type"] = topicEvent.Type;
        cloudEvent["specversion"] = topicEvent.SpecVersion;
        cloudEvent["datacontenttype"] = topicEvent.DataContentType;
        cloudEvent["topic"] = topicEvent.Topic;
        cloudEvent["pubsubname"] = topicEvent.PubsubName;
        if (delivered.TraceParent is not null)
        {
            cloudEvent["traceparent"] = delivered.TraceParent;
            cloudEvent["traceid"] = delivered.TraceParent;
        }

        if (delivered.TraceState is not null)
        {
            cloudEvent["tracestate"] = delivered.TraceState;
        }

        if (Data(topicEvent.DataContentType, topicEvent.Data) is { } data)
        {
            cloudEvent["data"] = data;
        }

        return new Dictionary<string, object?>(StringComparer.Ordinal) { [EventVariable] = cloudEvent };
    }

    private static readonly DeliveredTopicEvent Probe = new(
        "", new Contracts.TopicEvent { PubsubName = "", Topic = "", Source = "", DataContentType = "application/octet-stream" });

    /// <summary>A JSON body as maps, lists, strings, doubles (JSON numbers, as Dapr decodes them), booleans and nulls; text as a string; other bytes not at all.</summary>
    private static object? Data(string contentType, byte[] data)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim();
        if (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                using var document = JsonDocument.Parse(data);
                return FromJson(document.RootElement);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        if (mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return StrictUtf8.GetString(data);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }

        return null;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(
            new Dictionary<string, object?>(StringComparer.Ordinal),
            (map, property) =>
            {
                map[property.Name] = FromJson(property.Value);
                return map;
            }),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static void EnsureNesting(string match, string name)
    {
        var depth = 0;
        char? quote = null;
        for (var index = 0; index < match.Length; index++)
        {
            var character = match[index];
            if (quote is not null)
            {
                if (character == '\\')
                {
                    index++;
                }
                else if (character == quote)
                {
                    quote = null;
                }

                continue;
            }

            switch (character)
            {
                case '"' or '\'':
                    quote = character;
                    break;
                case '(' or '[' or '{':
                    if (++depth > MaxDepth)
                    {
                        throw RuntimeException.InvalidArgument($"the match expression of {name} nests parentheses, brackets or braces deeper than {MaxDepth}.");
                    }

                    break;
                case ')' or ']' or '}':
                    depth--;
                    break;
            }
        }
    }
}
