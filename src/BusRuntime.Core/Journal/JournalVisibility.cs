using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.Journal;

/// <summary>
/// Which journal entries are an app's: those of messages it produced (the entry's source app is the app: what it
/// published, sent, invoked, and its state and configuration changes), and those of messages delivered to, or
/// dead-lettered from, a queue that carries what is addressed to the app: its topic subscriptions
/// (<c>busruntime.app.{app}.{pubsub}.{topic}</c>) and its invoke queue (<c>busruntime.app.{app}.invoke</c>). Not its
/// sidecar's temporary queues (<c>busruntime.app.{app}.{tag}-{random}</c>): every sidecar's configuration queue
/// receives every app's configuration changes. A sidecar without the operator token sees its app's entries only.
/// </summary>
public static class JournalVisibility
{
    private const string InvokeQueue = "invoke";

    public static bool IsOf(JournalEntry entry, string appId)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.SourceAppId == appId || entry.DestinationAppId == appId;
    }

    /// <summary>
    /// The app a queue address delivers to, such as <c>rabbitmq://host/vhost/busruntime.app.billing.pubsub.orders</c> or
    /// <c>queue:busruntime.app.billing.invoke</c> (and their _error queues); null for any other address (an exchange, a
    /// temporary queue).
    /// </summary>
    public static string? AppOfQueue(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return null;
        }

        var name = address.AsSpan();
        if (name.IndexOf('?') is var query and >= 0)
        {
            name = name[..query];
        }

        // The queue is the last segment of a transport's address, or what follows a short address's scheme.
        name = name[((name.LastIndexOf('/') is var slash and >= 0 ? slash : name.IndexOf(':')) + 1)..];
        if (Names.AppOfQueue(name) is not { } appId)
        {
            return null;
        }

        // A subscription's queue names its pub/sub and topic after the app; a temporary queue is one name without a dot.
        var rest = name[(Names.AppQueuePrefix.Length + appId.Length + 1)..];
        return rest.Contains('.') || rest.SequenceEqual(InvokeQueue) || (rest.StartsWith(InvokeQueue) && rest[InvokeQueue.Length] == '_')
            ? appId
            : null;
    }
}
