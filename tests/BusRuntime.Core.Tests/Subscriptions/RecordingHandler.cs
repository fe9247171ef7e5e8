using System.Collections.Concurrent;
using BusRuntime.Core.Subscriptions;

namespace BusRuntime.Core.Tests.Subscriptions;

/// <summary>A subscriber that records what it is given and answers with <see cref="Answer"/>.</summary>
public sealed class RecordingHandler(DeliveryOutcome answer = DeliveryOutcome.Success) : ITopicEventHandler
{
    public ConcurrentQueue<DeliveredTopicEvent> Received { get; } = new();

    public DeliveryOutcome Answer { get; set; } = answer;

    public Task<DeliveryOutcome> HandleAsync(DeliveredTopicEvent topicEvent, CancellationToken cancellationToken)
    {
        Received.Enqueue(topicEvent);
        return Task.FromResult(Answer);
    }

    public async Task WaitForAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Received.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{Received.Count} events arrived, expected {count}.");
            await Task.Delay(10);
        }
    }
}
