using System.Globalization;
using BusRuntime.Core.Subscriptions;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Core.Resources;

/// <summary>What the resource files declare, translated: components, subscriptions and the bus settings a pubsub.rabbitmq component implies.</summary>
public sealed class ResourceSet(
    IReadOnlyList<string> files,
    IReadOnlyList<DeclaredComponent> components,
    IReadOnlyList<DeclaredSubscription> subscriptions,
    IReadOnlyDictionary<string, string> settings,
    IReadOnlyList<string> notes)
{
    public static ResourceSet Empty { get; } = new([], [], [], new Dictionary<string, string>(), []);

    /// <summary>The files read, in order.</summary>
    public IReadOnlyList<string> Files => files;

    public IReadOnlyList<DeclaredComponent> Components => components;

    public IReadOnlyList<DeclaredSubscription> Subscriptions => subscriptions;

    /// <summary>Configuration keys the files set beside the components (BusRuntime:Transport and BusRuntime:RabbitMq for a pubsub.rabbitmq).</summary>
    public IReadOnlyDictionary<string, string> Settings => settings;

    /// <summary>What was read but not applied (metadata accepted and ignored, resources scoped to other apps), one sentence each.</summary>
    public IReadOnlyList<string> Notes => notes;

    /// <summary>
    /// The components and settings as configuration keys, the components numbered from <paramref name="firstIndex"/>
    /// (after those configuration declares itself).
    /// </summary>
    public IEnumerable<KeyValuePair<string, string?>> ToConfiguration(int firstIndex)
    {
        var index = firstIndex;
        foreach (var declared in components)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"BusRuntime:Components:{index++}");
            yield return new(key + ":Name", declared.Component.Name);
            yield return new(key + ":Type", declared.Component.Type);
            foreach (var (name, value) in declared.Component.Metadata)
            {
                yield return new($"{key}:Metadata:{name}", value);
            }
        }

        foreach (var (name, value) in settings)
        {
            yield return new(name, value);
        }
    }

    /// <summary>Logs what was loaded and every note.</summary>
    public void Log(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (files.Count == 0)
        {
            return;
        }

        Resources.Log.Loaded(
            logger,
            files.Count,
            string.Join(", ", components.Select(declared => $"{declared.Component.Name} ({declared.DaprType} as {declared.Component.Type})")),
            string.Join(", ", subscriptions.Select(subscription => $"{subscription.Name} ({subscription.Spec.PubsubName}/{subscription.Spec.Topic})")));
        foreach (var note in notes)
        {
            Resources.Log.Note(logger, note);
        }
    }
}
