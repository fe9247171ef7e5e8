namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// The bulk delivery of a <see cref="DeclaredSubscription"/> (<c>spec.bulkSubscribe</c> with <c>enabled: true</c>):
/// at most <paramref name="MaxMessagesCount"/> events a call, an event waiting at most <paramref name="MaxAwaitDuration"/> for others.
/// </summary>
public sealed record DeclaredBulkSubscribe(int MaxMessagesCount, TimeSpan MaxAwaitDuration)
{
    /// <summary>Dapr's defaults: 100 events, 1000 ms.</summary>
    public const int DefaultMaxMessagesCount = 100;

    public const int DefaultMaxAwaitDurationMs = 1000;
}
