using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// A subscription's routes, compiled: its routing rules in order, then its default path. Immutable, so one instance
/// serves every delivery at once.
/// </summary>
public sealed class TopicRoutes
{
    /// <summary>The most rules one subscription may have.</summary>
    public const int MaxRules = 100;

    /// <summary>The longest path a route may name.</summary>
    public const int MaxPathLength = 1024;

    private readonly IReadOnlyList<RouteCondition> conditions;

    private TopicRoutes(IReadOnlyList<TopicRoutingRule> rules, IReadOnlyList<RouteCondition> conditions, string? defaultPath)
    {
        Rules = rules;
        this.conditions = conditions;
        DefaultPath = defaultPath;
    }

    /// <summary>The rules, in the order they are tried.</summary>
    public IReadOnlyList<TopicRoutingRule> Rules { get; }

    /// <summary>The path of an event no rule matches; null drops it.</summary>
    public string? DefaultPath { get; }

    /// <summary>
    /// Compiles <paramref name="rules"/>; throws INVALID_ARGUMENT naming the rule (by its position) and what is wrong with
    /// it: too many rules, an empty or too long path, or a match expression that is not a boolean CEL expression over <c>event</c>.
    /// </summary>
    public static TopicRoutes Create(IReadOnlyList<TopicRoutingRule> rules, string? defaultPath)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Count > MaxRules)
        {
            throw RuntimeException.InvalidArgument($"a subscription has {rules.Count} routing rules; at most {MaxRules} are allowed.");
        }

        if (defaultPath is not null)
        {
            EnsurePath(defaultPath, "the default route");
        }

        var conditions = new RouteCondition[rules.Count];
        for (var index = 0; index < rules.Count; index++)
        {
            var rule = rules[index] ?? throw RuntimeException.InvalidArgument($"routing rule {index + 1} is missing.");
            var name = $"routing rule {index + 1} (match {Quoted.Of(rule.Match)})";
            EnsurePath(rule.Path, name);
            conditions[index] = RouteCondition.Compile(rule.Match, name);
        }

        return new TopicRoutes([.. rules], conditions, defaultPath);
    }

    /// <summary>Routes with no rules: every event goes to <paramref name="path"/>.</summary>
    public static TopicRoutes Default(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new TopicRoutes([], [], path);
    }

    /// <summary>The path of the first rule that matches the event, else <see cref="DefaultPath"/>; null: no route, the event is dropped (acknowledged), as Dapr does.</summary>
    public string? Select(DeliveredTopicEvent topicEvent)
    {
        ArgumentNullException.ThrowIfNull(topicEvent);
        if (conditions.Count == 0)
        {
            return DefaultPath;
        }

        var variables = RouteCondition.Variables(topicEvent);
        for (var index = 0; index < conditions.Count; index++)
        {
            if (conditions[index].IsMet(variables))
            {
                return Rules[index].Path;
            }
        }

        return DefaultPath;
    }

    private static void EnsurePath(string? path, string name)
    {
        if (path is null)
        {
            throw RuntimeException.InvalidArgument($"{name} has no path.");
        }

        if (path.Length > MaxPathLength)
        {
            throw RuntimeException.InvalidArgument($"the path of {name} is {path.Length} characters long; at most {MaxPathLength} are allowed.");
        }
    }
}
