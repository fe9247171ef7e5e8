using System.CommandLine;
using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Protos.V1;
using Google.Protobuf;
using Grpc.Net.Client;

// publish: sends one event and prints the message id the sidecar returns once the bus confirmed it.
// subscribe: opens a SubscribeTopicEvents stream, prints every event and acknowledges it (SUCCESS).
// invoke: calls a method of another app (any replica of its app id) and prints its answer.
var sidecar = new Option<string>("--sidecar") { Description = "The sidecar's gRPC address.", DefaultValueFactory = _ => "http://127.0.0.1:50001" };
var pubsub = new Option<string>("--pubsub") { Description = "The pub/sub component.", DefaultValueFactory = _ => "pubsub" };
var topic = new Argument<string>("topic") { Description = "The topic." };
var data = new Argument<string>("data") { Description = "The event's data (sent as UTF-8, content type application/json)." };

var publish = new Command("publish", "Publish one event.") { topic, data, sidecar, pubsub };
publish.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    var runtime = new Runtime.RuntimeClient(channel);
    var response = await runtime.PublishEventAsync(new PublishEventRequest
    {
        PubsubName = result.GetValue(pubsub),
        Topic = result.GetValue(topic),
        Data = ByteString.CopyFromUtf8(result.GetValue(data)),
        DataContentType = "application/json",
    }, cancellationToken: cancellationToken);
    Console.WriteLine($"published {response.MessageId}");
});

var subscribe = new Command("subscribe", "Print every event of a topic until Ctrl+C.") { topic, sidecar, pubsub };
subscribe.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    using var call = new Runtime.RuntimeClient(channel).SubscribeTopicEvents(cancellationToken: cancellationToken);
    await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
    {
        InitialRequest = new SubscribeTopicEventsRequestInitial { PubsubName = result.GetValue(pubsub), Topic = result.GetValue(topic) },
    }, cancellationToken);
    while (await call.ResponseStream.MoveNext(cancellationToken))
    {
        var message = call.ResponseStream.Current;
        if (message.InitialResponse is not null)
        {
            Console.WriteLine($"subscribed to {result.GetValue(topic)}");
            continue;
        }

        var topicEvent = message.EventMessage;
        Console.WriteLine($"{topicEvent.Id} from {topicEvent.Source}: {topicEvent.Data.ToStringUtf8()}");
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
        {
            EventProcessed = new SubscribeTopicEventsRequestProcessed
            {
                Id = topicEvent.Id,
                Status = new TopicEventResponse { Status = TopicEventResponse.Types.TopicEventResponseStatus.Success },
            },
        }, cancellationToken);
    }
});

var appId = new Argument<string>("app-id") { Description = "The app to call." };
var method = new Argument<string>("method") { Description = "The method to call." };
var body = new Argument<string>("data") { Description = "The request's data (sent as UTF-8, content type application/json).", DefaultValueFactory = _ => "" };
var invoke = new Command("invoke", "Call a method of another app and print its answer.") { appId, method, body, sidecar };
invoke.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    var response = await new Runtime.RuntimeClient(channel).InvokeServiceAsync(new InvokeServiceRequest
    {
        AppId = result.GetValue(appId),
        Method = result.GetValue(method),
        Data = ByteString.CopyFromUtf8(result.GetValue(body)),
        ContentType = "application/json",
    }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
    Console.WriteLine($"{response.ContentType}: {response.Data.ToStringUtf8()}");
});

try
{
    return await new RootCommand("BusRuntime quickstart app: publish, subscribe and invoke through a sidecar.") { publish, subscribe, invoke }
        .Parse(args)
        .InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Grpc.Core.RpcException error)
{
    await Console.Error.WriteLineAsync($"error: {error.StatusCode}: {error.Status.Detail}");
    return 1;
}
