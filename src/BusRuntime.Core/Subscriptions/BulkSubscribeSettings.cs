namespace BusRuntime.Core.Subscriptions;

/// <summary>
/// Dapr's bulk subscribe: when <see cref="Enabled"/>, events are delivered in batches of at most
/// <see cref="MaxMessagesCount"/>, a batch going out once full or <see cref="MaxAwaitDurationMs"/> after its first event.
/// </summary>
public sealed record BulkSubscribeSettings(bool Enabled, int MaxMessagesCount = BulkSubscribeSettings.DefaultMaxMessagesCount, int MaxAwaitDurationMs = BulkSubscribeSettings.DefaultMaxAwaitDurationMs)
{
    /// <summary>Dapr's default batch size.</summary>
    public const int DefaultMaxMessagesCount = 100;

    /// <summary>Dapr's default wait for a batch to fill, in milliseconds.</summary>
    public const int DefaultMaxAwaitDurationMs = 1000;
}
