using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;

namespace BusRuntime.IntegrationTests;

/// <summary>Publishes many events through a sidecar's PublishEvent, a bounded number at a time.</summary>
internal static class Publishing
{
    /// <summary>Publishes <paramref name="count"/> events of <paramref name="payloadBytes"/> bytes; returns the message ids in order.</summary>
    public static async Task<string[]> PublishManyAsync(TestSidecar publisher, string topic, int count, int payloadBytes = 1024, int concurrency = 64)
    {
        var payload = new byte[payloadBytes];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)('a' + (i % 26));
        }

        var data = ByteString.CopyFrom(payload);
        var ids = new string[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (index, cancellationToken) =>
            {
                var response = await publisher.Runtime.PublishEventAsync(
                    new PublishEventRequest { PubsubName = RabbitMqFixture.PubsubName, Topic = topic, Data = data, DataContentType = "application/octet-stream" },
                    cancellationToken: cancellationToken);
                ids[index] = response.MessageId;
            });
        return ids;
    }

    public static async Task<string> PublishOneAsync(TestSidecar publisher, string topic, string text = "{}")
    {
        var response = await publisher.Runtime.PublishEventAsync(new PublishEventRequest
        {
            PubsubName = RabbitMqFixture.PubsubName,
            Topic = topic,
            Data = ByteString.CopyFromUtf8(text),
        });
        return response.MessageId;
    }
}
