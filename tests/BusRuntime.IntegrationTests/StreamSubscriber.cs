using System.Collections.Concurrent;
using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Grpc.Core;

namespace BusRuntime.IntegrationTests;

/// <summary>An app without a server: one SubscribeTopicEvents stream that acknowledges every event by id as it arrives.</summary>
internal sealed class StreamSubscriber : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<SubscribeTopicEventsRequest, SubscribeTopicEventsResponse> call;
    private readonly CancellationTokenSource stop = new();
    private readonly Task reading;

    private StreamSubscriber(AsyncDuplexStreamingCall<SubscribeTopicEventsRequest, SubscribeTopicEventsResponse> call)
    {
        this.call = call;
        reading = Task.Run(ReadAsync);
    }

    /// <summary>Every event id received, in arrival order, including redeliveries.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>Opens the stream and returns once the sidecar answered initial_response, i.e. its queue is consuming.</summary>
    public static async Task<StreamSubscriber> OpenAsync(TestSidecar sidecar, string topic)
    {
        var call = sidecar.Runtime.SubscribeTopicEvents();
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
        {
            InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = RabbitMqFixture.PubsubName, Topic = topic },
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        if (!await call.ResponseStream.MoveNext(timeout.Token) || call.ResponseStream.Current.InitialResponse is null)
        {
            call.Dispose();
            throw new InvalidOperationException($"The sidecar did not answer the subscription to '{topic}' with initial_response.");
        }

        return new StreamSubscriber(call);
    }

    /// <summary>Cancels the stream; events delivered but not acknowledged go back to the queue. Rethrows a failure of the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await reading;
        }
        finally
        {
            call.Dispose();
            stop.Dispose();
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await call.ResponseStream.MoveNext(stop.Token))
            {
                var topicEvent = call.ResponseStream.Current.EventMessage;
                if (topicEvent is null)
                {
                    continue;
                }

                Received.Enqueue(topicEvent.Id);
                await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
                {
                    EventProcessed = new SubscribeTopicEventsRequestProcessed
                    {
                        Id = topicEvent.Id,
                        Status = new TopicEventResponse { Status = TopicEventResponse.Types.TopicEventResponseStatus.Success },
                    },
                }, stop.Token);
            }
        }
        catch (Exception exception) when (stop.IsCancellationRequested && exception is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Disposed: the test is done with this stream.
        }
    }
}
