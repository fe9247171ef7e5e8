using System.Text;
using BusRuntime.Contracts;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Subscriptions;

namespace BusRuntime.Core.Tests.Subscriptions;

public sealed class TopicRoutesTests
{
    private const string Body = """{"kind":"order","amount":25,"express":true,"customer":{"tier":"gold","age":41},"items":["a","b"]}""";

    [Theory]
    [InlineData("""event.type == "order.created" """, true)]
    [InlineData("""event.type != "order.created" """, false)]
    [InlineData("""event.data.kind == "order" """, true)]
    [InlineData("""event.data.kind == 'invoice'""", false)]
    [InlineData("event.data.amount == 25", true)]
    [InlineData("event.data.amount == 25.0", true)]
    [InlineData("event.data.amount != 25", false)]
    [InlineData("event.data.amount < 26", true)]
    [InlineData("event.data.amount < 25", false)]
    [InlineData("event.data.amount <= 25", true)]
    [InlineData("event.data.amount <= 24.5", false)]
    [InlineData("event.data.amount > 24", true)]
    [InlineData("event.data.amount > 25", false)]
    [InlineData("event.data.amount >= 25", true)]
    [InlineData("event.data.amount >= 25.5", false)]
    [InlineData("event.data.express == true", true)]
    [InlineData("event.data.express", true)]
    [InlineData("!event.data.express", false)]
    [InlineData("""event.data.customer.tier == "gold" && event.data.customer.age > 40""", true)]
    [InlineData("""event.data.customer.tier == "gold" && event.data.customer.age > 50""", false)]
    [InlineData("""event.data.customer.tier == "silver" || event.data.amount > 20""", true)]
    [InlineData("""event.data.customer.tier == "silver" || event.data.amount > 30""", false)]
    [InlineData("""!(event.data.customer.tier == "silver") && (event.data.amount > 30 || event.data.express)""", true)]
    [InlineData("""event.data.items[1] == "b" """, true)]
    [InlineData("""event.source == "checkout" && event.topic == "orders" && event.pubsubname == "pubsub" """, true)]
    [InlineData("""event.id == "id-1" """, true)]
    [InlineData("""event.specversion == "1.0" && event.datacontenttype == "application/json" """, true)]
    [InlineData("""event.tenant == "acme" """, true)]
    [InlineData("""event.traceparent == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" """, true)]
    public void Select_Expression_MatchesAsCelSays(string match, bool matches)
    {
        var routes = TopicRoutes.Create([new TopicRoutingRule(match, "/matched")], "/default");

        Assert.Equal(matches ? "/matched" : "/default", routes.Select(Event(Body)));
    }

    [Theory]
    [InlineData("event.data.missing == 1")]
    [InlineData("""event.data.customer.missing.deeper == "x" """)]
    [InlineData("""event.nothing == "x" """)]
    [InlineData("""event.data.kind > 3""")]
    [InlineData("""event.data.kind""")]
    public void Select_FieldMissingOrWrongType_IsFalseNotAFailure(string match)
    {
        var routes = TopicRoutes.Create([new TopicRoutingRule(match, "/matched")], "/default");

        Assert.Equal("/default", routes.Select(Event(Body)));
    }

    [Theory]
    [InlineData("""event.data.customer.tier.matches("^go+ld$")""", true)]
    [InlineData("""matches(event.type, "created$")""", true)]
    [InlineData("""event.data.kind.matches("^inv")""", false)]
    [InlineData("""event.data.kind.matches("(")""", false)]
    [InlineData("""event.data.kind.matches("(r)de\\1")""", false)]
    public void Select_Matches_RegularExpressionWithoutBacktracking(string match, bool matches)
    {
        var routes = TopicRoutes.Create([new TopicRoutingRule(match, "/matched")], "/default");

        Assert.Equal(matches ? "/matched" : "/default", routes.Select(Event(Body)));
    }

    [Fact]
    public void Select_MatchesWithACatastrophicPatternOnHostileData_AnswersFalse()
    {
        var routes = TopicRoutes.Create([new TopicRoutingRule("""event.data.text.matches("^(a+)+$")""", "/matched")], null);
        var hostile = "{\"text\":\"" + new string('a', 5000) + "!\"}";

        Assert.Null(routes.Select(Event(hostile)));
    }

    [Fact]
    public void Select_DataNotJson_DataFieldsAreMissing()
    {
        var routes = TopicRoutes.Create([new TopicRoutingRule("""event.data.kind == "order" """, "/json"), new TopicRoutingRule("""event.type == "order.created" """, "/type")], null);

        Assert.Equal("/type", routes.Select(Event("{not json", "application/json")));
        Assert.Equal("/type", routes.Select(Event("\u0001\u0002", "application/octet-stream")));
    }

    [Fact]
    public void Select_TextData_IsAString()
    {
        var routes = TopicRoutes.Create([new TopicRoutingRule("""event.data == "hello" """, "/text")], null);

        Assert.Equal("/text", routes.Select(Event("hello", "text/plain; charset=utf-8")));
        Assert.Null(routes.Select(Event("goodbye", "text/plain")));
    }

    [Fact]
    public void Select_SeveralRulesMatch_FirstInOrderWins()
    {
        var routes = TopicRoutes.Create(
            [
                new TopicRoutingRule("event.data.amount > 100", "/large"),
                new TopicRoutingRule("event.data.amount > 10", "/medium"),
                new TopicRoutingRule("event.data.amount > 0", "/small"),
            ],
            "/none");

        Assert.Equal("/medium", routes.Select(Event(Body)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Select_RuleWithoutMatch_TakesEveryEventThatReachesIt(string match)
    {
        var routes = TopicRoutes.Create([new TopicRoutingRule("""event.type == "other" """, "/other"), new TopicRoutingRule(match, "/rest")], null);

        Assert.Equal("/rest", routes.Select(Event(Body)));
    }

    [Fact]
    public void Select_NoRuleMatchesAndNoDefault_Null()
    {
        var routes = TopicRoutes.Create([new TopicRoutingRule("""event.type == "other" """, "/other")], null);

        Assert.Null(routes.Select(Event(Body)));
    }

    [Fact]
    public void Default_NoRules_EveryEventTakesThePath()
    {
        var routes = TopicRoutes.Default("/orders");

        Assert.Empty(routes.Rules);
        Assert.Equal("/orders", routes.DefaultPath);
        Assert.Equal("/orders", routes.Select(Event("{}")));
    }

    [Theory]
    [InlineData("event.type ==", "is not valid CEL")]
    [InlineData("event.type == \"x", "is not valid CEL")]
    [InlineData("""other.type == "x" """, "only the variable 'event' is defined")]
    [InlineData("""shout(event.type) == "X" """, "only the variable 'event' is defined")]
    [InlineData("event.type", "does not return a boolean")]
    [InlineData("1 + 2", "does not return a boolean")]
    public void Create_BadExpression_InvalidArgumentNamingTheRule(string match, string reason)
    {
        var failure = Assert.Throws<RuntimeException>(() => TopicRoutes.Create(
            [new TopicRoutingRule("event.id == \"a\"", "/a"), new TopicRoutingRule(match, "/b")], null));

        Assert.Equal(ErrorCode.InvalidArgument, failure.Code);
        Assert.Contains("routing rule 2", failure.Message, StringComparison.Ordinal);
        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ExpressionTooLong_InvalidArgument()
    {
        var match = "event.type == \"" + new string('x', 1100) + "\"";

        var failure = Assert.Throws<RuntimeException>(() => TopicRoutes.Create([new TopicRoutingRule(match, "/a")], null));

        Assert.Equal(ErrorCode.InvalidArgument, failure.Code);
        Assert.Contains("at most 1024", failure.Message, StringComparison.Ordinal);
        Assert.Contains("characters)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NestedTooDeep_InvalidArgumentBeforeTheParserRecurses()
    {
        var match = new string('(', 400) + "true" + new string(')', 400);

        var failure = Assert.Throws<RuntimeException>(() => TopicRoutes.Create([new TopicRoutingRule(match, "/a")], null));

        Assert.Equal(ErrorCode.InvalidArgument, failure.Code);
        Assert.Contains("deeper than 32", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NestingWithinTheBound_Compiles()
    {
        var match = new string('(', 32) + "event.id != \"((((\"" + new string(')', 32);

        Assert.Equal("/a", TopicRoutes.Create([new TopicRoutingRule(match, "/a")], null).Select(Event("{}")));
    }

    [Fact]
    public void Create_TooManyRules_InvalidArgument()
    {
        var rules = Enumerable.Range(0, TopicRoutes.MaxRules + 1).Select(index => new TopicRoutingRule("true", $"/{index}")).ToList();

        var failure = Assert.Throws<RuntimeException>(() => TopicRoutes.Create(rules, null));

        Assert.Equal(ErrorCode.InvalidArgument, failure.Code);
        Assert.Contains("at most 100", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_PathTooLong_InvalidArgument()
    {
        var failure = Assert.Throws<RuntimeException>(() => TopicRoutes.Create([new TopicRoutingRule("true", new string('p', 2000))], null));

        Assert.Equal(ErrorCode.InvalidArgument, failure.Code);
        Assert.Contains("routing rule 1", failure.Message, StringComparison.Ordinal);
    }

    private static DeliveredTopicEvent Event(string data, string contentType = "application/json") =>
        new(
            "id-1",
            new TopicEvent
            {
                PubsubName = "pubsub",
                Topic = "orders",
                Source = "checkout",
                Type = "order.created",
                DataContentType = contentType,
                Data = Encoding.UTF8.GetBytes(data),
                Metadata = new Dictionary<string, string> { ["tenant"] = "acme" },
            },
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
}
