using System.Globalization;
using System.Text;
using System.Text.Json;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.State.Query;

/// <summary>
/// Reads a query in Dapr's state query language, the JSON the Dapr SDKs send:
/// <c>{"filter": {"AND": [{"EQ": {"person.org": "Dev Ops"}}, {"IN": {"state": ["CA", "WA"]}}]}, "sort": [{"key": "state", "order": "DESC"}], "page": {"limit": 10, "token": "10"}}</c>.
/// Everything is bounded (<see cref="StateQueryLimits"/>); a query that is not one, or beyond a bound, is
/// INVALID_ARGUMENT naming where it is wrong (<c>query filter.AND[1].IN 'state': …</c>). As Dapr reads it, the names
/// filter, sort, page, key, order, limit and token match in any case, and the operators in capitals only.
/// </summary>
public static class StateQueryParser
{
    private const string Operators = "EQ, NEQ, GT, GTE, LT, LTE, IN, AND or OR";

    // Beyond what the filter depth needs; deeper JSON is refused before it is parsed into a document.
    private const int MaxJsonDepth = 64;

    private static readonly Dictionary<string, QueryOperator> OperatorNames = new(StringComparer.Ordinal)
    {
        ["EQ"] = QueryOperator.Eq,
        ["NEQ"] = QueryOperator.Neq,
        ["GT"] = QueryOperator.Gt,
        ["GTE"] = QueryOperator.Gte,
        ["LT"] = QueryOperator.Lt,
        ["LTE"] = QueryOperator.Lte,
        ["IN"] = QueryOperator.In,
        ["AND"] = QueryOperator.And,
        ["OR"] = QueryOperator.Or,
    };

    public static StateQuery Parse(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw Invalid("query is empty; send a JSON object such as {\"filter\": {\"EQ\": {\"state\": \"CA\"}}}, or {} for every value.");
        }

        int bytes;
        try
        {
            bytes = new UTF8Encoding(false, true).GetByteCount(query);
        }
        catch (EncoderFallbackException)
        {
            throw Invalid("query is not valid Unicode (it has a lone surrogate).");
        }

        if (bytes > StateQueryLimits.MaxQueryBytes)
        {
            throw Invalid($"query is {bytes} bytes in UTF-8, over the maximum of {StateQueryLimits.MaxQueryBytes}.");
        }

        var utf8 = Encoding.UTF8.GetBytes(query);
        EnsureJson(utf8);
        using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = MaxJsonDepth + 1 });
        return new Reader().Read(document.RootElement);
    }

    /// <summary>
    /// One key checked as a query's keys are (<see cref="StateQueryLimits.MaxKeyChars"/>,
    /// <see cref="StateQueryLimits.MaxKeySegments"/>, no empty member, no control character); the error names
    /// <paramref name="at"/>, where the key came from.
    /// </summary>
    public static QueryPath ParseKey(string text, string at)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Reader.ReadPath(text, at);
    }

    /// <summary>Checks the text is one JSON value nested at most <see cref="MaxJsonDepth"/> deep, naming where it is not.</summary>
    private static void EnsureJson(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = int.MaxValue / 2 });
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth >= MaxJsonDepth)
                {
                    throw Invalid($"query nests JSON more than {MaxJsonDepth} deep (at byte {reader.TokenStartIndex + 1}); filters nest at most {StateQueryLimits.MaxDepth} AND and OR.");
                }
            }
        }
        catch (JsonException exception)
        {
            throw Invalid($"query is not valid JSON: line {(exception.LineNumber ?? 0) + 1}, byte {(exception.BytePositionInLine ?? 0) + 1} of the line is not where it can be; send a JSON object such as {{\"filter\": {{\"EQ\": {{\"state\": \"CA\"}}}}}}.");
        }
    }

    private static RuntimeException Invalid(string message) => RuntimeException.InvalidArgument(message);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    private static List<JsonProperty> Members(JsonElement element) => [.. element.EnumerateObject()];

    /// <summary>
    /// The members of <paramref name="element"/> by their name in capitals (names match in any case, as Go's JSON
    /// reader matches Dapr's); a member not <paramref name="allowed"/>, or one given twice, is refused.
    /// </summary>
    private static Dictionary<string, JsonElement?> Fields(JsonElement element, string at, string only, params string[] allowed)
    {
        var fields = new Dictionary<string, JsonElement?>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            var name = member.Name.ToUpperInvariant();
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                throw Invalid($"{at} has the member {Quoted.Of(member.Name)}; {only}.");
            }

            if (!fields.TryAdd(name, member.Value))
            {
                throw Invalid($"{at} has {Quoted.Of(member.Name)} twice; give each member once.");
            }
        }

        return fields;
    }

    /// <summary>One parse: counts the filters as it goes.</summary>
    private sealed class Reader
    {
        private int clauses;

        public StateQuery Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"query is {Describe(root.ValueKind)}, not a JSON object; a query is an object with filter, sort and page, each optional.");
            }

            var fields = Fields(root, "query", "a query has only filter, sort and page", "FILTER", "SORT", "PAGE");
            var (limit, offset) = ReadPage(fields.GetValueOrDefault("PAGE"));
            return new StateQuery(ReadTopFilter(fields.GetValueOrDefault("FILTER")), ReadSort(fields.GetValueOrDefault("SORT")), limit, offset);
        }

        private QueryFilter? ReadTopFilter(JsonElement? filter)
        {
            if (filter is not { } element || element.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (element.ValueKind == JsonValueKind.Object && !element.EnumerateObject().Any())
            {
                return null;
            }

            return ReadFilter(element, "filter", 0);
        }

        private QueryFilter ReadFilter(JsonElement element, string at, int depth)
        {
            if (++clauses > StateQueryLimits.MaxClauses)
            {
                throw Invalid($"query has more than {StateQueryLimits.MaxClauses} filters (the last counted is {at}); the most a query may have is {StateQueryLimits.MaxClauses}.");
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"query {at} is {Describe(element.ValueKind)}; a filter is an object with one operator: {Operators}.");
            }

            var members = Members(element);
            if (members.Count != 1)
            {
                var names = string.Join(", ", members.Take(2).Select(member => Quoted.Of(member.Name))) + (members.Count > 2 ? ", …" : "");
                throw Invalid(members.Count == 0
                    ? $"query {at} is an empty object; a filter has one operator: {Operators}."
                    : $"query {at} has {members.Count} members ({names}); a filter has exactly one operator ({Operators}): combine filters with AND or OR.");
            }

            var (name, value) = (members[0].Name, members[0].Value);
            if (!OperatorNames.TryGetValue(name, out var op))
            {
                throw Invalid($"query {at} names the operator {Quoted.Of(name)}; the operators are {Operators}, in capitals.");
            }

            var where = $"{at}.{name}";
            return op switch
            {
                QueryOperator.And or QueryOperator.Or => ReadLogical(op, name, value, where, depth + 1),
                QueryOperator.In => ReadIn(value, where),
                _ => ReadComparison(op, name, value, where),
            };
        }

        private LogicalFilter ReadLogical(QueryOperator op, string name, JsonElement value, string at, int depth)
        {
            if (depth > StateQueryLimits.MaxDepth)
            {
                throw Invalid($"query {at} nests AND and OR {depth} deep, over the maximum of {StateQueryLimits.MaxDepth}.");
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                throw Invalid($"query {at} is {Describe(value.ValueKind)}; {name} takes an array of at least two filters.");
            }

            var count = value.GetArrayLength();
            if (count < 2)
            {
                throw Invalid($"query {at} has {count} filter{(count == 1 ? "" : "s")}; {name} takes at least two (a single filter needs no {name}).");
            }

            return new LogicalFilter(op, [.. value.EnumerateArray().Select((filter, index) => ReadFilter(filter, $"{at}[{index}]", depth))]);
        }

        private static ComparisonFilter ReadComparison(QueryOperator op, string name, JsonElement value, string at)
        {
            var (key, operand) = ReadKeyAndOperand(name, value, at, "a value");
            var where = $"{at} {Quoted.Of(key.Text)}";
            return new ComparisonFilter(op, key, ReadValue(operand, where, name, numbersOnly: op is QueryOperator.Gt or QueryOperator.Gte or QueryOperator.Lt or QueryOperator.Lte));
        }

        private static InFilter ReadIn(JsonElement value, string at)
        {
            var (key, operand) = ReadKeyAndOperand("IN", value, at, "an array of values");
            var where = $"{at} {Quoted.Of(key.Text)}";
            if (operand.ValueKind != JsonValueKind.Array)
            {
                throw Invalid($"query {where} is {Describe(operand.ValueKind)}; IN takes an array of values, such as {{\"IN\": {{\"state\": [\"CA\", \"WA\"]}}}}.");
            }

            var count = operand.GetArrayLength();
            if (count == 0)
            {
                throw Invalid($"query {where} is an empty array; IN takes at least one value.");
            }

            if (count > StateQueryLimits.MaxInValues)
            {
                throw Invalid($"query {where} has {count} values, over the maximum of {StateQueryLimits.MaxInValues}.");
            }

            return new InFilter(key, [.. operand.EnumerateArray().Select((item, index) => ReadValue(item, $"{where}[{index}]", "IN", numbersOnly: false))]);
        }

        private static (QueryPath Key, JsonElement Operand) ReadKeyAndOperand(string name, JsonElement value, string at, string operand)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"query {at} is {Describe(value.ValueKind)}; {name} takes an object with one key and {operand}, such as {{\"{name}\": {{\"person.org\": {(name == "IN" ? "[\"Dev Ops\"]" : "\"Dev Ops\"")}}}}}.");
            }

            var members = Members(value);
            if (members.Count != 1)
            {
                throw Invalid(members.Count == 0
                    ? $"query {at} is an empty object; {name} takes one key and {operand}."
                    : $"query {at} has {members.Count} keys; {name} compares one key (combine several with AND or OR).");
            }

            return (ReadPath(members[0].Name, at), members[0].Value);
        }

        private static QueryValue ReadValue(JsonElement value, string where, string name, bool numbersOnly)
        {
            var kind = value.ValueKind switch
            {
                JsonValueKind.String => QueryValueKind.String,
                JsonValueKind.Number => QueryValueKind.Number,
                JsonValueKind.True or JsonValueKind.False => QueryValueKind.Boolean,
                JsonValueKind.Null => QueryValueKind.Null,
                _ => throw Invalid($"query {where} compares with {Describe(value.ValueKind)}; {name} compares with {(numbersOnly ? "a number" : "a string, a number, true, false or null")}."),
            };
            if (kind == QueryValueKind.Number && !(value.TryGetDouble(out var number) && double.IsFinite(number)))
            {
                throw Invalid($"query {where} compares with {Quoted.Of(value.GetRawText())}, a number beyond what a query compares (±1.7e308).");
            }

            if (numbersOnly && kind != QueryValueKind.Number)
            {
                throw Invalid($"query {where} compares with {Describe(value.ValueKind)}; {name} compares numbers only (EQ, NEQ and IN compare strings, true, false and null).");
            }

            return new QueryValue(kind, value.Clone());
        }

        private List<QuerySort> ReadSort(JsonElement? sort)
        {
            if (sort is not { } element || element.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (element.ValueKind != JsonValueKind.Array)
            {
                throw Invalid($"query sort is {Describe(element.ValueKind)}; sort is an array such as [{{\"key\": \"state\", \"order\": \"DESC\"}}].");
            }

            var count = element.GetArrayLength();
            if (count > StateQueryLimits.MaxSortKeys)
            {
                throw Invalid($"query sort has {count} keys, over the maximum of {StateQueryLimits.MaxSortKeys}.");
            }

            return [.. element.EnumerateArray().Select((item, index) => ReadSortKey(item, $"sort[{index}]"))];
        }

        private static QuerySort ReadSortKey(JsonElement item, string at)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"query {at} is {Describe(item.ValueKind)}; a sort key is an object such as {{\"key\": \"state\", \"order\": \"DESC\"}}.");
            }

            var fields = Fields(item, $"query {at}", "a sort key has only key and order", "KEY", "ORDER");
            var key = fields.GetValueOrDefault("KEY") switch
            {
                null => null,
                { ValueKind: JsonValueKind.String } text => text.GetString()!,
                { } other => throw Invalid($"query {at}.key is {Describe(other.ValueKind)}; a sort key names a member of the value as a string, such as \"person.org\"."),
            };
            var order = fields.GetValueOrDefault("ORDER") switch
            {
                null or { ValueKind: JsonValueKind.Null } => "",
                { ValueKind: JsonValueKind.String } text => text.GetString()!,
                { } other => throw Invalid($"query {at}.order is {Describe(other.ValueKind)}; order is \"ASC\" or \"DESC\"."),
            };
            if (key is null)
            {
                throw Invalid($"query {at} has no key; name the member to sort by, such as {{\"key\": \"state\"}}.");
            }

            var descending = order.ToUpperInvariant() switch
            {
                "" or "ASC" => false,
                "DESC" => true,
                _ => throw Invalid($"query {at}.order {Quoted.Of(order)} is not ASC or DESC."),
            };
            return new QuerySort(ReadPath(key, at), descending);
        }

        private static (int Limit, int Offset) ReadPage(JsonElement? page)
        {
            if (page is not { } element || element.ValueKind == JsonValueKind.Null)
            {
                return (StateQueryLimits.MaxLimit, 0);
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"query page is {Describe(element.ValueKind)}; page is an object such as {{\"limit\": 10, \"token\": \"10\"}}.");
            }

            var fields = Fields(element, "query page", "page has only limit and token", "LIMIT", "TOKEN");
            return (ReadLimit(fields.GetValueOrDefault("LIMIT")), ReadToken(fields.GetValueOrDefault("TOKEN")));
        }

        private static int ReadLimit(JsonElement? limit)
        {
            if (limit is not { } element || element.ValueKind == JsonValueKind.Null)
            {
                return StateQueryLimits.MaxLimit;
            }

            var hint = $"give the most results of a page, from 1 to {StateQueryLimits.MaxLimit} (0 or none: {StateQueryLimits.MaxLimit})";
            if (element.ValueKind != JsonValueKind.Number)
            {
                throw Invalid($"query page.limit is {Describe(element.ValueKind)}; {hint}.");
            }

            if (!element.TryGetInt64(out var value))
            {
                throw Invalid($"query page.limit {Quoted.Of(element.GetRawText())} is not a whole number; {hint}.");
            }

            return value switch
            {
                < 0 => throw Invalid($"query page.limit {value} is negative; {hint}."),
                0 => StateQueryLimits.MaxLimit,
                > StateQueryLimits.MaxLimit => throw Invalid($"query page.limit {value} is over the maximum of {StateQueryLimits.MaxLimit}; {hint}."),
                _ => (int)value,
            };
        }

        private static int ReadToken(JsonElement? token)
        {
            if (token is not { } element || element.ValueKind == JsonValueKind.Null)
            {
                return 0;
            }

            if (element.ValueKind != JsonValueKind.String)
            {
                throw Invalid($"query page.token is {Describe(element.ValueKind)}; the token is the string a query returned, passed back as it came.");
            }

            var text = element.GetString()!;
            if (text.Length == 0)
            {
                return 0;
            }

            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                ? offset
                : throw Invalid($"query page.token {Quoted.Of(text)} is not a token a query returned; pass the previous page's token as it came, or none for the first page.");
        }

        internal static QueryPath ReadPath(string text, string at)
        {
            if (text.Length == 0)
            {
                throw Invalid($"query {at} has an empty key; name a member of the value, such as \"person.org\".");
            }

            if (text.Length > StateQueryLimits.MaxKeyChars)
            {
                throw Invalid($"query {at} key {Quoted.Of(text)} is {text.Length} characters, over the maximum of {StateQueryLimits.MaxKeyChars}.");
            }

            if (text.Any(char.IsControl))
            {
                throw Invalid($"query {at} key {Quoted.Of(text)} contains a control character; name a member of the value.");
            }

            var segments = text.Split('.');
            if (segments.Any(segment => segment.Length == 0))
            {
                throw Invalid($"query {at} key {Quoted.Of(text)} has an empty member name (a dot at its start or end, or two dots together).");
            }

            if (segments.Length > StateQueryLimits.MaxKeySegments)
            {
                throw Invalid($"query {at} key {Quoted.Of(text)} names {segments.Length} members, over the maximum of {StateQueryLimits.MaxKeySegments}.");
            }

            return new QueryPath(text, segments);
        }
    }
}
