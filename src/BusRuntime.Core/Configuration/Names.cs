using System.Text.RegularExpressions;

namespace BusRuntime.Core.Configuration;

/// <summary>
/// The shapes of the names that become parts of bus entity names. App ids and component names have
/// no dots, so <see cref="Contracts.TopicNames"/> never builds the same name twice.
/// </summary>
public static partial class Names
{
    public const string AppIdPattern = "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$";
    public const string ComponentNamePattern = "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$";
    public const string TopicPattern = "^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$";

    public static bool IsValidComponentName(string name) => ComponentNameRegex().IsMatch(name);

    public static bool IsValidTopic(string topic) => TopicRegex().IsMatch(topic);

    [GeneratedRegex(ComponentNamePattern)]
    private static partial Regex ComponentNameRegex();

    [GeneratedRegex(TopicPattern)]
    private static partial Regex TopicRegex();
}
