using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.PubSub;

/// <summary>The checks a (pub/sub name, topic) pair passes before it reaches the bus.</summary>
public static class TopicValidation
{
    public static void EnsureValid(PubSubComponents components, string pubsubName, string topic)
    {
        ArgumentNullException.ThrowIfNull(components);
        components.EnsureExists(pubsubName);
        if (string.IsNullOrEmpty(topic))
        {
            throw RuntimeException.InvalidArgument("topic is empty; name the topic to publish or subscribe to.");
        }

        if (!Names.IsValidTopic(topic))
        {
            throw RuntimeException.InvalidArgument($"topic {Quoted.Of(topic)} must match {Names.TopicPattern} (letters, digits, '.', '-' and '_', at most 128 characters).");
        }

        if (Names.HasReservedSuffix(topic))
        {
            throw RuntimeException.InvalidArgument($"topic {Quoted.Of(topic)} ends with {string.Join(" or ", Names.ReservedTopicSuffixes)}, which name dead-letter and skipped queues; choose another topic.");
        }
    }
}
