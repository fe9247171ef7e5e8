using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.Journal;

/// <summary>
/// Which journal entries are an app's: those of messages it produced (the entry's source app is the app: what it
/// published, sent, invoked, and its state and configuration changes), and those of messages delivered to, or
/// dead-lettered from, one of its own queues (<c>busruntime.app.{app}.…</c>: its topic subscriptions and its
/// invoke queue). A sidecar without the operator token sees its app's entries only.
/// </summary>
public static class JournalVisibility
{
    public static bool IsOf(JournalEntry entry, string appId)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.SourceAppId == appId || entry.DestinationAppId == appId;
    }

    /// <summary>
    /// The app of a queue address such as <c>rabbitmq://host/vhost/busruntime.app.billing.pubsub.orders</c> or
    /// <c>queue:busruntime.app.billing.invoke</c>; null for any other address (an exchange, a temporary queue).
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
        return Names.AppOfQueue(name);
    }
}
