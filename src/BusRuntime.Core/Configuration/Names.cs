using System.Text.RegularExpressions;

namespace BusRuntime.Core.Configuration;

/// <summary>
/// The shapes of the names that become parts of bus entity names. App ids and component names have
/// no dots, so <see cref="Contracts.TopicNames"/> never builds the same name twice; a topic may not end
/// like MassTransit's dead-letter and skipped queues, whose names add those suffixes to a queue's; and
/// the lengths keep the longest queue name, suffix included, under RabbitMQ's 255 bytes.
/// </summary>
public static partial class Names
{
    public const string AppIdPattern = "^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$";
    public const string ComponentNamePattern = "^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$";
    public const string TopicPattern = "^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$";
    public const string SchemaPattern = "^[a-z_][a-z0-9_]{0,62}$";

    /// <summary>The suffixes MassTransit gives a queue's dead-letter and skipped queues.</summary>
    public static IReadOnlyList<string> ReservedTopicSuffixes { get; } = ["_error", "_skipped"];

    /// <summary>What the name of every queue of an app starts with, before the app id.</summary>
    public static string AppQueuePrefix { get; } = Contracts.TopicNames.Queue("", "", "").TrimEnd('.') + ".";

    public static bool IsValidAppId(string appId) => AppIdRegex().IsMatch(appId);

    public static bool IsValidComponentName(string name) => ComponentNameRegex().IsMatch(name);

    public static bool IsValidTopic(string topic) => TopicRegex().IsMatch(topic);

    public static bool HasReservedSuffix(string topic) =>
        ReservedTopicSuffixes.Any(suffix => topic.EndsWith(suffix, StringComparison.Ordinal));

    /// <summary>
    /// The app whose queue <paramref name="queue"/> is: <see cref="Contracts.TopicNames.Queue"/> and
    /// <see cref="Contracts.InvokeNames.Queue"/> name every queue of an app <c>busruntime.app.{app}.…</c>
    /// (their _error queues too); null for any other name.
    /// </summary>
    public static string? AppOfQueue(ReadOnlySpan<char> queue)
    {
        if (!queue.StartsWith(AppQueuePrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = queue[AppQueuePrefix.Length..];
        var end = rest.IndexOf('.');
        var appId = end <= 0 ? "" : rest[..end].ToString();
        return IsValidAppId(appId) ? appId : null;
    }

    [GeneratedRegex(AppIdPattern)]
    private static partial Regex AppIdRegex();

    [GeneratedRegex(ComponentNamePattern)]
    private static partial Regex ComponentNameRegex();

    [GeneratedRegex(TopicPattern)]
    private static partial Regex TopicRegex();
}
