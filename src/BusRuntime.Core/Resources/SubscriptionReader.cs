using System.Globalization;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Subscriptions;

namespace BusRuntime.Core.Resources;

/// <summary>
/// Reads Dapr's declarative subscriptions: <c>dapr.io/v2alpha1</c> (<c>spec.routes</c> with <c>rules</c> and
/// <c>default</c>, <c>bulkSubscribe</c>) and <c>dapr.io/v1alpha1</c> (<c>spec.route</c>), both with
/// <c>pubsubname</c>, <c>topic</c>, <c>deadLetterTopic</c> and <c>metadata</c>.
/// </summary>
internal static class SubscriptionReader
{
    public const int MaxMatchChars = 1024;
    public const int MaxMetadataEntries = 32;
    public const int MaxBulkMessages = 1000;
    public const int MaxBulkAwaitMs = 60_000;

    private static readonly string[] V2SpecFields = ["pubsubname", "topic", "routes", "deadLetterTopic", "bulkSubscribe", "metadata"];
    private static readonly string[] V1SpecFields = ["pubsubname", "topic", "route", "deadLetterTopic", "metadata"];

    public static List<DeclaredSubscription> Read(List<(ResourceLocation Where, YamlNode Node, string ApiVersion)> documents, HashSet<string> pubSubNames)
    {
        var subscriptions = new List<DeclaredSubscription>();
        foreach (var (where, node, apiVersion) in documents)
        {
            var subscription = Read(where, node, apiVersion, pubSubNames);
            if (subscriptions.FirstOrDefault(other => other.Spec.PubsubName == subscription.Spec.PubsubName && other.Spec.Topic == subscription.Spec.Topic) is { } twice)
            {
                throw where.Error(
                    "spec.topic",
                    $"{Quoted.Of(subscription.Spec.Topic)} of pub/sub {Quoted.Of(subscription.Spec.PubsubName)} is also subscribed by subscription {Quoted.Of(twice.Name)} in {twice.File}.");
            }

            subscriptions.Add(subscription);
        }

        return subscriptions;
    }

    private static DeclaredSubscription Read(ResourceLocation where, YamlNode document, string apiVersion, HashSet<string> pubSubNames)
    {
        ResourceFiles.CheckFields(document, ["apiVersion", "kind", "metadata", "spec", "scopes"], where, "");
        var spec = document.Get("spec");
        if (spec?.Entries is null)
        {
            throw where.Error("spec", spec is null ? "is missing." : $"is {spec.Shape}, not a mapping.");
        }

        var v2 = apiVersion == ResourceFiles.SubscriptionApiVersion;
        ResourceFiles.CheckFields(spec, v2 ? V2SpecFields : V1SpecFields, where, "spec.");
        var at = $"{where}: spec";
        var pubsub = ResourceFiles.ScalarOf(spec, "pubsubname", at, required: true)!;
        if (!pubSubNames.Contains(pubsub))
        {
            throw where.Error("spec.pubsubname", $"{Quoted.Of(pubsub)} is not a pub/sub component; configured: {string.Join(", ", pubSubNames.Order(StringComparer.Ordinal))}.");
        }

        var topic = Topic(where, "spec.topic", ResourceFiles.ScalarOf(spec, "topic", at, required: true)!);
        var deadLetter = ResourceFiles.ScalarOf(spec, "deadLetterTopic", at, required: false) is { } dead ? Topic(where, "spec.deadLetterTopic", dead) : null;
        if (deadLetter == topic)
        {
            throw where.Error("spec.deadLetterTopic", $"{Quoted.Of(deadLetter)} is the subscription's own topic: a dropped event would come back to it.");
        }

        string? defaultRoute;
        var rules = new List<TopicRoutingRule>();
        BulkSubscribeSettings? bulk = null;
        if (v2)
        {
            var routes = spec.Get("routes");
            if (routes?.Entries is null)
            {
                throw where.Error("spec.routes", routes is null ? "is missing: give rules, a default route or both." : $"is {routes.Shape}, not a mapping.");
            }

            ResourceFiles.CheckFields(routes, ["rules", "default"], where, "spec.routes.");
            defaultRoute = ResourceFiles.ScalarOf(routes, "default", $"{at}.routes", required: false) is { } fallback ? Path(where, "spec.routes.default", fallback) : null;
            var list = routes.Get("rules");
            if (list is not null && list.Items is null && list.Scalar is not { Length: 0 })
            {
                throw where.Error("spec.routes.rules", $"is {list.Shape}, not a list of match and path entries.");
            }

            var items = list?.Items ?? [];
            if (items.Count > TopicRoutes.MaxRules)
            {
                throw where.Error("spec.routes.rules", $"has {items.Count} rules, over the maximum of {TopicRoutes.MaxRules}.");
            }

            for (var index = 0; index < items.Count; index++)
            {
                rules.Add(Rule(where, items[index], $"spec.routes.rules[{index}]"));
            }

            if (defaultRoute is null && rules.Count == 0)
            {
                throw where.Error("spec.routes", "has neither rules nor a default route: events would have nowhere to go.");
            }

            bulk = Bulk(where, spec.Get("bulkSubscribe"));
        }
        else
        {
            defaultRoute = Path(where, "spec.route", ResourceFiles.ScalarOf(spec, "route", at, required: true)!);
        }

        TopicRoutes compiled;
        try
        {
            compiled = TopicRoutes.Create(rules, defaultRoute);
        }
        catch (RuntimeException invalid)
        {
            throw where.Error("spec.routes", invalid.Message);
        }

        return new DeclaredSubscription(
            where.Name,
            new SubscriptionSpec(pubsub, topic) { Routes = compiled, DeadLetterTopic = deadLetter, Bulk = bulk, Metadata = Metadata(where, spec.Get("metadata")) },
            where.File);
    }

    private static TopicRoutingRule Rule(ResourceLocation where, YamlNode node, string field)
    {
        if (node.Entries is null)
        {
            throw where.Error(field, $"(line {node.Line}) is {node.Shape}, not a mapping of match and path.");
        }

        ResourceFiles.CheckFields(node, ["match", "path"], where, field + ".");
        var match = ResourceFiles.ScalarOf(node, "match", $"{where}: {field}", required: true)!;
        if (match.Length > MaxMatchChars)
        {
            throw where.Error($"{field}.match", $"has {match.Length} characters, over the maximum of {MaxMatchChars}.");
        }

        return new TopicRoutingRule(match, Path(where, $"{field}.path", ResourceFiles.ScalarOf(node, "path", $"{where}: {field}", required: true)!));
    }

    private static BulkSubscribeSettings? Bulk(ResourceLocation where, YamlNode? node)
    {
        if (node is null || node.Scalar is { Length: 0 })
        {
            return null;
        }

        if (node.Entries is null)
        {
            throw where.Error("spec.bulkSubscribe", $"is {node.Shape}, not a mapping.");
        }

        ResourceFiles.CheckFields(node, ["enabled", "maxMessagesCount", "maxAwaitDurationMs"], where, "spec.bulkSubscribe.");
        var at = $"{where}: spec.bulkSubscribe";
        var enabled = ResourceFiles.ScalarOf(node, "enabled", at, required: false) ?? "false";
        if (!bool.TryParse(enabled, out var isEnabled))
        {
            throw where.Error("spec.bulkSubscribe.enabled", $"{Quoted.Of(enabled)} is not one of: true, false.");
        }

        var count = Whole(where, node, "maxMessagesCount", BulkSubscribeSettings.DefaultMaxMessagesCount, MaxBulkMessages);
        var wait = Whole(where, node, "maxAwaitDurationMs", BulkSubscribeSettings.DefaultMaxAwaitDurationMs, MaxBulkAwaitMs);
        return isEnabled ? new BulkSubscribeSettings(true, count, wait) : null;
    }

    private static int Whole(ResourceLocation where, YamlNode node, string key, int defaultValue, int maximum)
    {
        var text = ResourceFiles.ScalarOf(node, key, $"{where}: spec.bulkSubscribe", required: false);
        if (text is null)
        {
            return defaultValue;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 && value <= maximum
            ? value
            : throw where.Error($"spec.bulkSubscribe.{key}", $"{Quoted.Of(text)} must be a whole number between 1 and {maximum}.");
    }

    private static Dictionary<string, string> Metadata(ResourceLocation where, YamlNode? node)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is null || node.Scalar is { Length: 0 })
        {
            return metadata;
        }

        if (node.Entries is null)
        {
            throw where.Error("spec.metadata", $"is {node.Shape}, not a mapping of names to values.");
        }

        if (node.Entries.Count > MaxMetadataEntries)
        {
            throw where.Error("spec.metadata", $"has {node.Entries.Count} entries, over the maximum of {MaxMetadataEntries}.");
        }

        foreach (var (key, value) in node.Entries)
        {
            metadata[key] = value.Scalar ?? throw where.Error($"spec.metadata {Quoted.Of(key)}", $"is {value.Shape}, not a scalar.");
        }

        return metadata;
    }

    private static string Topic(ResourceLocation where, string field, string topic) =>
        Names.IsValidTopic(topic) && !Names.HasReservedSuffix(topic)
            ? topic
            : throw where.Error(field, $"{Quoted.Of(topic)} must match {Names.TopicPattern} and not end with {string.Join(" or ", Names.ReservedTopicSuffixes)}.");

    private static string Path(ResourceLocation where, string field, string path) =>
        path.Length <= TopicRoutes.MaxPathLength && !path.Any(char.IsControl)
            ? path
            : throw where.Error(field, $"{Quoted.Of(path)} must be at most {TopicRoutes.MaxPathLength} characters without control characters.");
}
