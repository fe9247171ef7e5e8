using BusRuntime.Core.Errors;
using BusRuntime.Core.State.Query;

namespace BusRuntime.Core.Tests.State.Query;

public sealed class StateQueryParserTests
{
    [Theory]
    [InlineData("EQ", QueryOperator.Eq)]
    [InlineData("NEQ", QueryOperator.Neq)]
    [InlineData("GT", QueryOperator.Gt)]
    [InlineData("GTE", QueryOperator.Gte)]
    [InlineData("LT", QueryOperator.Lt)]
    [InlineData("LTE", QueryOperator.Lte)]
    public void Parse_Comparison_KeyOperatorAndValue(string name, QueryOperator expected)
    {
        var query = StateQueryParser.Parse($$$$"""{"filter": {"{{{{name}}}}": {"person.age": 42}}}""");

        var filter = Assert.IsType<ComparisonFilter>(query.Filter);
        Assert.Equal(expected, filter.Operator);
        Assert.Equal("person.age", filter.Key.Text);
        Assert.Equal(["person", "age"], filter.Key.Segments);
        Assert.Equal(QueryValueKind.Number, filter.Value.Kind);
        Assert.Equal("42", filter.Value.RawText);
    }

    [Theory]
    [InlineData("\"Dev Ops\"", QueryValueKind.String)]
    [InlineData("-1.5e3", QueryValueKind.Number)]
    [InlineData("true", QueryValueKind.Boolean)]
    [InlineData("false", QueryValueKind.Boolean)]
    [InlineData("null", QueryValueKind.Null)]
    public void Parse_EqWithEachKindOfValue_KeepsKindAndText(string json, QueryValueKind kind)
    {
        var query = StateQueryParser.Parse($$$$"""{"filter": {"EQ": {"person.org": {{{{json}}}}}}}""");

        var value = Assert.IsType<ComparisonFilter>(query.Filter).Value;
        Assert.Equal(kind, value.Kind);
        Assert.Equal(json, value.RawText);
    }

    [Fact]
    public void Parse_In_EveryValueInOrder()
    {
        var query = StateQueryParser.Parse("""{"filter": {"IN": {"state": ["CA", "WA", 3, null]}}}""");

        var filter = Assert.IsType<InFilter>(query.Filter);
        Assert.Equal(QueryOperator.In, filter.Operator);
        Assert.Equal("state", filter.Key.Text);
        Assert.Equal(["\"CA\"", "\"WA\"", "3", "null"], filter.Values.Select(value => value.RawText));
    }

    [Fact]
    public void Parse_NestedAndOr_KeepsTheTree()
    {
        // Dapr's own example (components-contrib tests/state/query/q5.json).
        var query = StateQueryParser.Parse("""
            {"filter": {"AND": [{"EQ": {"person.org": "A"}}, {"OR": [{"EQ": {"person.name": "B"}}, {"IN": {"state": ["CA", "WA"]}}]}]},
             "sort": [{"key": "state", "order": "DESC"}, {"key": "person.name"}],
             "page": {"limit": 2}}
            """);

        var and = Assert.IsType<LogicalFilter>(query.Filter);
        Assert.Equal(QueryOperator.And, and.Operator);
        Assert.Equal("person.org", Assert.IsType<ComparisonFilter>(and.Filters[0]).Key.Text);
        var or = Assert.IsType<LogicalFilter>(and.Filters[1]);
        Assert.Equal(QueryOperator.Or, or.Operator);
        Assert.IsType<ComparisonFilter>(or.Filters[0]);
        Assert.IsType<InFilter>(or.Filters[1]);
        Assert.Equal([("state", true), ("person.name", false)], query.Sort.Select(sort => (sort.Key.Text, sort.Descending)));
        Assert.Equal(2, query.Limit);
        Assert.Equal(0, query.Offset);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"filter": {}}""")]
    [InlineData("""{"filter": null, "sort": null, "page": null}""")]
    public void Parse_NoFilterSortOrPage_EveryValueFirstPageOfTheMost(string json)
    {
        var query = StateQueryParser.Parse(json);

        Assert.Null(query.Filter);
        Assert.Empty(query.Sort);
        Assert.Equal(StateQueryLimits.MaxLimit, query.Limit);
        Assert.Equal(0, query.Offset);
    }

    [Theory]
    [InlineData("""{"page": {"limit": 0}}""", StateQueryLimits.MaxLimit, 0)]
    [InlineData("""{"page": {"limit": 1000, "token": ""}}""", 1000, 0)]
    [InlineData("""{"page": {"limit": 3, "token": "6"}}""", 3, 6)]
    [InlineData("""{"page": {"token": "2147483647"}}""", StateQueryLimits.MaxLimit, int.MaxValue)]
    public void Parse_Page_LimitAndOffsetOfTheToken(string json, int limit, int offset)
    {
        var query = StateQueryParser.Parse(json);

        Assert.Equal(limit, query.Limit);
        Assert.Equal(offset, query.Offset);
    }

    [Fact]
    public void Parse_MemberNamesInAnyCase_ReadAsDaprReadsThem()
    {
        var query = StateQueryParser.Parse("""{"Filter": {"EQ": {"a": 1}}, "SORT": [{"Key": "a", "Order": "desc"}], "Page": {"Limit": 5, "Token": "5"}}""");

        Assert.NotNull(query.Filter);
        Assert.True(Assert.Single(query.Sort).Descending);
        Assert.Equal((5, 5), (query.Limit, query.Offset));
    }

    [Fact]
    public void Parse_AtEveryBound_Accepted()
    {
        var deepest = Nest(StateQueryLimits.MaxDepth);
        var longestKey = string.Join('.', Enumerable.Repeat(new string('k', 15), StateQueryLimits.MaxKeySegments));
        var values = string.Join(", ", Enumerable.Range(0, StateQueryLimits.MaxInValues));
        var sorts = string.Join(", ", Enumerable.Repeat("""{"key": "a"}""", StateQueryLimits.MaxSortKeys));

        Assert.NotNull(StateQueryParser.Parse(deepest).Filter);
        Assert.NotNull(StateQueryParser.Parse($$$$"""{"filter": {"EQ": {"{{{{longestKey}}}}": 1}}}""").Filter);
        Assert.Equal(StateQueryLimits.MaxInValues, Assert.IsType<InFilter>(StateQueryParser.Parse($$$$"""{"filter": {"IN": {"a": [{{{{values}}}}]}}}""").Filter).Values.Count);
        Assert.Equal(StateQueryLimits.MaxSortKeys, StateQueryParser.Parse($$$$"""{"sort": [{{{{sorts}}}}]}""").Sort.Count);
        Assert.Equal(StateQueryLimits.MaxClauses, Count(StateQueryParser.Parse(Wide(StateQueryLimits.MaxClauses - 1)).Filter!));
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "", "query is empty; send a JSON object such as {\"filter\": {\"EQ\": {\"state\": \"CA\"}}}, or {} for every value." },
        { "{\"filter\": ", "query is not valid JSON: line 1, byte 12 of the line is not where it can be; send a JSON object such as {\"filter\": {\"EQ\": {\"state\": \"CA\"}}}." },
        { "{} {}", "query is not valid JSON: line 1, byte 4 of the line is not where it can be; send a JSON object such as {\"filter\": {\"EQ\": {\"state\": \"CA\"}}}." },
        { "[]", "query is an array, not a JSON object; a query is an object with filter, sort and page, each optional." },
        { "{\"fitler\": {}}", "query has the member 'fitler'; a query has only filter, sort and page." },
        { "{\"filter\": {}, \"Filter\": {}}", "query has 'Filter' twice; give each member once." },
        { "{\"filter\": []}", "query filter is an array; a filter is an object with one operator: EQ, NEQ, GT, GTE, LT, LTE, IN, AND or OR." },
        { "{\"filter\": {\"EQ\": {\"a\": 1}, \"IN\": {\"b\": [1]}, \"LT\": {\"c\": 1}}}", "query filter has 3 members ('EQ', 'IN', …); a filter has exactly one operator (EQ, NEQ, GT, GTE, LT, LTE, IN, AND or OR): combine filters with AND or OR." },
        { "{\"filter\": {\"eq\": {\"a\": 1}}}", "query filter names the operator 'eq'; the operators are EQ, NEQ, GT, GTE, LT, LTE, IN, AND or OR, in capitals." },
        { "{\"filter\": {\"EQ\": \"a\"}}", "query filter.EQ is a string; EQ takes an object with one key and a value, such as {\"EQ\": {\"person.org\": \"Dev Ops\"}}." },
        { "{\"filter\": {\"NEQ\": {}}}", "query filter.NEQ is an empty object; NEQ takes one key and a value." },
        { "{\"filter\": {\"EQ\": {\"a\": 1, \"b\": 2}}}", "query filter.EQ has 2 keys; EQ compares one key (combine several with AND or OR)." },
        { "{\"filter\": {\"EQ\": {\"a\": {\"b\": 1}}}}", "query filter.EQ 'a' compares with an object; EQ compares with a string, a number, true, false or null." },
        { "{\"filter\": {\"NEQ\": {\"a\": [1]}}}", "query filter.NEQ 'a' compares with an array; NEQ compares with a string, a number, true, false or null." },
        { "{\"filter\": {\"GT\": {\"a\": \"10\"}}}", "query filter.GT 'a' compares with a string; GT compares numbers only (EQ, NEQ and IN compare strings, true, false and null)." },
        { "{\"filter\": {\"LTE\": {\"a\": null}}}", "query filter.LTE 'a' compares with null; LTE compares numbers only (EQ, NEQ and IN compare strings, true, false and null)." },
        { "{\"filter\": {\"GTE\": {\"a\": true}}}", "query filter.GTE 'a' compares with true; GTE compares numbers only (EQ, NEQ and IN compare strings, true, false and null)." },
        { "{\"filter\": {\"LT\": {\"a\": {}}}}", "query filter.LT 'a' compares with an object; LT compares with a number." },
        { "{\"filter\": {\"EQ\": {\"a\": 1e999}}}", "query filter.EQ 'a' compares with '1e999', a number beyond what a query compares (±1.7e308)." },
        { "{\"filter\": {\"IN\": {\"state\": \"CA\"}}}", "query filter.IN 'state' is a string; IN takes an array of values, such as {\"IN\": {\"state\": [\"CA\", \"WA\"]}}." },
        { "{\"filter\": {\"IN\": {\"state\": []}}}", "query filter.IN 'state' is an empty array; IN takes at least one value." },
        { "{\"filter\": {\"IN\": {\"state\": [\"CA\", [\"WA\"]]}}}", "query filter.IN 'state'[1] compares with an array; IN compares with a string, a number, true, false or null." },
        { "{\"filter\": {\"IN\": [\"CA\"]}}", "query filter.IN is an array; IN takes an object with one key and an array of values, such as {\"IN\": {\"person.org\": [\"Dev Ops\"]}}." },
        { "{\"filter\": {\"AND\": {\"EQ\": {\"a\": 1}}}}", "query filter.AND is an object; AND takes an array of at least two filters." },
        { "{\"filter\": {\"OR\": [{\"EQ\": {\"a\": 1}}]}}", "query filter.OR has 1 filter; OR takes at least two (a single filter needs no OR)." },
        { "{\"filter\": {\"AND\": []}}", "query filter.AND has 0 filters; AND takes at least two (a single filter needs no AND)." },
        { "{\"filter\": {\"AND\": [{\"EQ\": {\"a\": 1}}, 7]}}", "query filter.AND[1] is a number; a filter is an object with one operator: EQ, NEQ, GT, GTE, LT, LTE, IN, AND or OR." },
        { "{\"filter\": {\"OR\": [{\"EQ\": {\"a\": 1}}, {\"AND\": [{\"EQ\": {\"b\": 1}}, {}]}]}}", "query filter.OR[1].AND[1] is an empty object; a filter has one operator: EQ, NEQ, GT, GTE, LT, LTE, IN, AND or OR." },
        { "{\"filter\": {\"EQ\": {\"\": 1}}}", "query filter.EQ has an empty key; name a member of the value, such as \"person.org\"." },
        { "{\"filter\": {\"EQ\": {\"person..org\": 1}}}", "query filter.EQ key 'person..org' has an empty member name (a dot at its start or end, or two dots together)." },
        { "{\"filter\": {\"EQ\": {\".org\": 1}}}", "query filter.EQ key '.org' has an empty member name (a dot at its start or end, or two dots together)." },
        { "{\"filter\": {\"EQ\": {\"a\\u0000b\": 1}}}", "query filter.EQ key 'a\\u0000b' contains a control character; name a member of the value." },
        { "{\"sort\": {\"key\": \"a\"}}", "query sort is an object; sort is an array such as [{\"key\": \"state\", \"order\": \"DESC\"}]." },
        { "{\"sort\": [\"a\"]}", "query sort[0] is a string; a sort key is an object such as {\"key\": \"state\", \"order\": \"DESC\"}." },
        { "{\"sort\": [{\"order\": \"ASC\"}]}", "query sort[0] has no key; name the member to sort by, such as {\"key\": \"state\"}." },
        { "{\"sort\": [{\"key\": 1}]}", "query sort[0].key is a number; a sort key names a member of the value as a string, such as \"person.org\"." },
        { "{\"sort\": [{\"key\": \"a\"}, {\"key\": \"b\", \"order\": \"DOWN\"}]}", "query sort[1].order 'DOWN' is not ASC or DESC." },
        { "{\"sort\": [{\"key\": \"a\", \"order\": 1}]}", "query sort[0].order is a number; order is \"ASC\" or \"DESC\"." },
        { "{\"sort\": [{\"key\": \"a\", \"direction\": \"DESC\"}]}", "query sort[0] has the member 'direction'; a sort key has only key and order." },
        { "{\"sort\": [{\"key\": \"a..b\"}]}", "query sort[0] key 'a..b' has an empty member name (a dot at its start or end, or two dots together)." },
        { "{\"page\": 10}", "query page is a number; page is an object such as {\"limit\": 10, \"token\": \"10\"}." },
        { "{\"page\": {\"size\": 10}}", "query page has the member 'size'; page has only limit and token." },
        { "{\"page\": {\"limit\": \"10\"}}", "query page.limit is a string; give the most results of a page, from 1 to 1000 (0 or none: 1000)." },
        { "{\"page\": {\"limit\": 2.5}}", "query page.limit '2.5' is not a whole number; give the most results of a page, from 1 to 1000 (0 or none: 1000)." },
        { "{\"page\": {\"limit\": -1}}", "query page.limit -1 is negative; give the most results of a page, from 1 to 1000 (0 or none: 1000)." },
        { "{\"page\": {\"limit\": 1001}}", "query page.limit 1001 is over the maximum of 1000; give the most results of a page, from 1 to 1000 (0 or none: 1000)." },
        { "{\"page\": {\"token\": 2}}", "query page.token is a number; the token is the string a query returned, passed back as it came." },
        { "{\"page\": {\"token\": \"-2\"}}", "query page.token '-2' is not a token a query returned; pass the previous page's token as it came, or none for the first page." },
        { "{\"page\": {\"token\": \"2147483648\"}}", "query page.token '2147483648' is not a token a query returned; pass the previous page's token as it came, or none for the first page." },
        { "{\"page\": {\"token\": \"abc\"}}", "query page.token 'abc' is not a token a query returned; pass the previous page's token as it came, or none for the first page." },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_Malformed_InvalidArgumentNamingWhatIsWrong(string json, string message)
    {
        var error = Assert.Throws<RuntimeException>(() => StateQueryParser.Parse(json));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_OverTheSizeLimit_NamesTheSize()
    {
        var json = $$$$"""{"filter": {"EQ": {"a": "{{{{new string('x', StateQueryLimits.MaxQueryBytes)}}}}"}}}""";

        var error = Assert.Throws<RuntimeException>(() => StateQueryParser.Parse(json));

        Assert.Equal($"query is {json.Length} bytes in UTF-8, over the maximum of 65536.", error.Message);
    }

    [Fact]
    public void Parse_LoneSurrogate_NotValidUnicode()
    {
        var error = Assert.Throws<RuntimeException>(() => StateQueryParser.Parse("{\"filter\": {\"EQ\": {\"a\": \"\ud800\"}}}"));

        Assert.Equal("query is not valid Unicode (it has a lone surrogate).", error.Message);
    }

    [Fact]
    public void Parse_AndOrNestedTooDeep_NamesTheDepth()
    {
        var error = Assert.Throws<RuntimeException>(() => StateQueryParser.Parse(Nest(StateQueryLimits.MaxDepth + 1)));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.StartsWith("query filter", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($".AND nests AND and OR 9 deep, over the maximum of {StateQueryLimits.MaxDepth}.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_JsonNestedBeyondAnyQuery_RefusedBeforeItIsRead()
    {
        var json = new string('[', 10_000) + new string(']', 10_000);

        var error = Assert.Throws<RuntimeException>(() => StateQueryParser.Parse(json));

        Assert.Equal("query nests JSON more than 64 deep (at byte 65); filters nest at most 8 AND and OR.", error.Message);
    }

    [Fact]
    public void Parse_TooManyFilters_NamesTheLimitAndWhere()
    {
        var error = Assert.Throws<RuntimeException>(() => StateQueryParser.Parse(Wide(StateQueryLimits.MaxClauses)));

        Assert.Equal($"query has more than 100 filters (the last counted is filter.OR[99]); the most a query may have is 100.", error.Message);
    }

    [Fact]
    public void Parse_TooManyInValues_NamesTheCount()
    {
        var values = string.Join(", ", Enumerable.Range(0, StateQueryLimits.MaxInValues + 1));

        var error = Assert.Throws<RuntimeException>(() => StateQueryParser.Parse($$$$"""{"filter": {"IN": {"state": [{{{{values}}}}]}}}"""));

        Assert.Equal("query filter.IN 'state' has 101 values, over the maximum of 100.", error.Message);
    }

    [Fact]
    public void Parse_TooManySortKeys_NamesTheCount()
    {
        var sorts = string.Join(", ", Enumerable.Repeat("""{"key": "a"}""", StateQueryLimits.MaxSortKeys + 1));

        var error = Assert.Throws<RuntimeException>(() => StateQueryParser.Parse($$$$"""{"sort": [{{{{sorts}}}}]}"""));

        Assert.Equal("query sort has 9 keys, over the maximum of 8.", error.Message);
    }

    [Fact]
    public void Parse_KeyTooLongOrTooDeep_NamesTheBound()
    {
        var tooLong = new string('k', StateQueryLimits.MaxKeyChars + 1);
        var tooDeep = string.Join('.', Enumerable.Repeat("k", StateQueryLimits.MaxKeySegments + 1));

        var longError = Assert.Throws<RuntimeException>(() => StateQueryParser.Parse($$$$"""{"filter": {"EQ": {"{{{{tooLong}}}}": 1}}}"""));
        var deepError = Assert.Throws<RuntimeException>(() => StateQueryParser.Parse($$$$"""{"sort": [{"key": "{{{{tooDeep}}}}"}]}"""));

        Assert.Equal($"query filter.EQ key {Quoted.Of(tooLong)} is 257 characters, over the maximum of 256.", longError.Message);
        Assert.Equal($"query sort[0] key '{tooDeep}' names 17 members, over the maximum of 16.", deepError.Message);
    }

    /// <summary>A filter of <paramref name="depth"/> ANDs, each inside the one before.</summary>
    private static string Nest(int depth)
    {
        var filter = """{"EQ": {"a": 1}}""";
        for (var level = 0; level < depth; level++)
        {
            filter = $$$$"""{"AND": [{"EQ": {"a": 1}}, {{{{filter}}}}]}""";
        }

        return $$$$"""{"filter": {{{{filter}}}}}""";
    }

    /// <summary>An OR of <paramref name="count"/> EQs: count + 1 filters.</summary>
    private static string Wide(int count) =>
        $$$$"""{"filter": {"OR": [{{{{string.Join(", ", Enumerable.Repeat("""{"EQ": {"a": 1}}""", count))}}}}]}}""";

    private static int Count(QueryFilter filter) => filter is LogicalFilter logical ? 1 + logical.Filters.Sum(Count) : 1;
}
