using System.ComponentModel.DataAnnotations;

namespace BusRuntime.Core.PubSub;

/// <summary>How events are delivered to subscribers (configuration section "BusRuntime:PubSub").</summary>
public sealed class PubSubOptions
{
    public const string SectionName = "BusRuntime:PubSub";

    /// <summary>
    /// How many times a RETRY (or an unreachable subscriber) is retried before the event is dead-lettered.
    /// The defaults (1 s, 2 s, 4 s, 8 s, 16 s) ride out an app restart of about half a minute.
    /// </summary>
    [Range(0, 100, ErrorMessage = "BusRuntime:PubSub:RetryLimit must be between 0 and 100.")]
    public int RetryLimit { get; set; } = 5;

    /// <summary>The first retry interval; later ones grow exponentially up to <see cref="RetryMaxInterval"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "BusRuntime:PubSub:RetryMinInterval must be between 00:00:00 and 00:10:00.")]
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "BusRuntime:PubSub:RetryMaxInterval must be between 00:00:00 and 01:00:00.")]
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one delivery to the app may take before it counts as RETRY.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "BusRuntime:PubSub:DeliveryTimeout must be between 00:00:00.010 and 01:00:00.")]
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long subscribing waits for the broker to start consuming the queue before it fails UNAVAILABLE.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "BusRuntime:PubSub:SubscribeTimeout must be between 00:00:00.100 and 00:10:00.")]
    public TimeSpan SubscribeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many events of one subscription are delivered to the app at the same time.</summary>
    [Range(1, 1000, ErrorMessage = "BusRuntime:PubSub:ConcurrentDeliveries must be between 1 and 1000.")]
    public int ConcurrentDeliveries { get; set; } = 32;
}
