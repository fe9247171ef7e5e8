using System.Diagnostics;
using System.Diagnostics.Metrics;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Subscriptions;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.PubSub;

/// <summary>
/// The pub/sub meter: what was published, how long the broker took to confirm, and what subscribers
/// answered. Every measurement carries the app id, as Dapr's do.
/// </summary>
public sealed class PubSubMetrics
{
    public const string MeterName = "BusRuntime.PubSub";

    // Owned and disposed by the IMeterFactory that created it.
    private readonly Meter meter;
    private readonly Counter<long> published;
    private readonly Histogram<double> publishDuration;
    private readonly Counter<long> deliveries;

    private readonly string appId;

    public PubSubMetrics(IMeterFactory meterFactory, IOptions<RuntimeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(options);
        appId = options.Value.AppId;
        meter = meterFactory.Create(MeterName);
        published = meter.CreateCounter<long>("busruntime.pubsub.published", "{event}", "Events an app asked to publish, by result (confirmed or failed).");
        publishDuration = meter.CreateHistogram<double>("busruntime.pubsub.publish.duration", "s", "Time from a publish call to the broker's confirmation.");
        deliveries = meter.CreateCounter<long>("busruntime.pubsub.deliveries", "{event}", "Deliveries to subscribers, by outcome (success, retry, drop, requeued).");
    }

    public void Published(string pubsubName, string topic, bool confirmed, TimeSpan elapsed)
    {
        var tags = new TagList { { "app_id", appId }, { "pubsub", pubsubName }, { "topic", topic }, { "result", confirmed ? "confirmed" : "failed" } };
        published.Add(1, tags);
        publishDuration.Record(elapsed.TotalSeconds, tags);
    }

    public void Delivered(string pubsubName, string topic, DeliveryOutcome outcome) =>
        Count(pubsubName, topic, outcome.ToString().ToLowerInvariant());

    public void Requeued(string pubsubName, string topic) => Count(pubsubName, topic, "requeued");

    private void Count(string pubsubName, string topic, string outcome) =>
        deliveries.Add(1, new TagList { { "app_id", appId }, { "pubsub", pubsubName }, { "topic", topic }, { "outcome", outcome } });
}
