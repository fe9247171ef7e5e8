using System.CommandLine;
using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Protos.V1;
using Google.Protobuf;
using Grpc.Net.Client;
using DeleteStateRequest = BusRuntime.Protos.V1.DeleteStateRequest;
using GetConfigurationRequest = BusRuntime.Protos.V1.GetConfigurationRequest;
using GetSecretRequest = BusRuntime.Protos.V1.GetSecretRequest;
using GetStateRequest = BusRuntime.Protos.V1.GetStateRequest;
using InvokeServiceRequest = BusRuntime.Protos.V1.InvokeServiceRequest;
using PublishEventRequest = BusRuntime.Protos.V1.PublishEventRequest;
using SaveStateRequest = BusRuntime.Protos.V1.SaveStateRequest;
using SubscribeConfigurationRequest = BusRuntime.Protos.V1.SubscribeConfigurationRequest;
using TryLockRequest = BusRuntime.Protos.V1.TryLockRequest;
using UnlockRequest = BusRuntime.Protos.V1.UnlockRequest;

// publish: sends one event and prints the message id the sidecar returns once the bus confirmed it.
// subscribe: opens a SubscribeTopicEvents stream, prints every event and answers it (SUCCESS, or --answer retry|drop).
// state, lock, unlock, next-id: one call each to the sidecar's state, lock and sequencer stores.
// invoke: calls a method of another app (any replica of its app id) and prints its answer.
// config get/save/delete/watch, secret get: the configuration and secret stores.
// workflow start/get/terminate: a workflow of invoke steps, run by the sidecar as a saga (docs/workflows.md).
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

var answer = new Option<string>("--answer") { Description = "What to answer for every event: success, retry or drop (drop dead-letters it).", DefaultValueFactory = _ => "success" };
answer.AcceptOnlyFromAmong("success", "retry", "drop");
var subscribe = new Command("subscribe", "Print every event of a topic until Ctrl+C.") { topic, sidecar, pubsub, answer };
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
        var status = result.GetValue(answer) switch
        {
            "retry" => TopicEventResponse.Types.TopicEventResponseStatus.Retry,
            "drop" => TopicEventResponse.Types.TopicEventResponseStatus.Drop,
            _ => TopicEventResponse.Types.TopicEventResponseStatus.Success,
        };
        Console.WriteLine($"{topicEvent.Id} from {topicEvent.Source}: {topicEvent.Data.ToStringUtf8()} ({status})");
        await call.RequestStream.WriteAsync(new SubscribeTopicEventsRequest
        {
            EventProcessed = new SubscribeTopicEventsRequestProcessed
            {
                Id = topicEvent.Id,
                Status = new TopicEventResponse { Status = status },
            },
        }, cancellationToken);
    }
});

var key = new Argument<string>("key") { Description = "The key (scoped to the app id by the sidecar)." };
var value = new Argument<string>("value") { Description = "The value (sent as UTF-8)." };
var store = new Option<string>("--store") { Description = "The store component.", DefaultValueFactory = _ => "statestore" };
var etag = new Option<string?>("--etag") { Description = "Write or delete only if the entry still has this etag (\"\" = only if the key does not exist)." };
var ttl = new Option<int?>("--ttl") { Description = "Seconds until the entry expires (-1 removes its TTL)." };

var stateGet = new Command("get", "Print a key's value and etag.") { key, sidecar, store };
stateGet.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    var response = await new Runtime.RuntimeClient(channel).GetStateAsync(
        new GetStateRequest { StoreName = result.GetValue(store), Key = result.GetValue(key) }, cancellationToken: cancellationToken);
    Console.WriteLine(response.Etag.Length == 0
        ? "(no such key)"
        : $"{response.Data.ToStringUtf8()}  etag {response.Etag}{(response.Metadata.TryGetValue("ttlExpireTime", out var expires) ? $"  expires {expires}" : "")}");
});

var stateSave = new Command("save", "Save a key.") { key, value, sidecar, store, etag, ttl };
stateSave.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    var item = new StateItem { Key = result.GetValue(key), Value = ByteString.CopyFromUtf8(result.GetValue(value)) };
    if (result.GetValue(etag) is { } expected)
    {
        item.Etag = new Etag { Value = expected };
    }

    if (result.GetValue(ttl) is { } seconds)
    {
        item.Metadata["ttlInSeconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    await new Runtime.RuntimeClient(channel).SaveStateAsync(new SaveStateRequest { StoreName = result.GetValue(store), States = { item } }, cancellationToken: cancellationToken);
    Console.WriteLine("saved");
});

var stateDelete = new Command("delete", "Delete a key.") { key, sidecar, store, etag };
stateDelete.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    var request = new DeleteStateRequest { StoreName = result.GetValue(store), Key = result.GetValue(key) };
    if (result.GetValue(etag) is { } expected)
    {
        request.Etag = new Etag { Value = expected };
    }

    await new Runtime.RuntimeClient(channel).DeleteStateAsync(request, cancellationToken: cancellationToken);
    Console.WriteLine("deleted");
});

var resource = new Argument<string>("resource") { Description = "The resource to lock." };
var owner = new Argument<string>("owner") { Description = "Who holds the lock." };
var lockStore = new Option<string>("--store") { Description = "The lock component.", DefaultValueFactory = _ => "lockstore" };
var expire = new Option<int>("--expire") { Description = "Seconds the lease lasts.", DefaultValueFactory = _ => 30 };

var tryLock = new Command("lock", "Try to take a lock.") { resource, owner, sidecar, lockStore, expire };
tryLock.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    var response = await new Runtime.RuntimeClient(channel).TryLockAsync(new TryLockRequest
    {
        StoreName = result.GetValue(lockStore),
        ResourceId = result.GetValue(resource),
        LockOwner = result.GetValue(owner),
        Expire = result.GetValue(expire),
    }, cancellationToken: cancellationToken);
    Console.WriteLine(response.Success ? "locked" : "held by someone else");
});

var unlock = new Command("unlock", "Release a lock.") { resource, owner, sidecar, lockStore };
unlock.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    var response = await new Runtime.RuntimeClient(channel).UnlockAsync(
        new UnlockRequest { StoreName = result.GetValue(lockStore), ResourceId = result.GetValue(resource), LockOwner = result.GetValue(owner) },
        cancellationToken: cancellationToken);
    Console.WriteLine(response.Status);
});

var sequencerStore = new Option<string>("--store") { Description = "The sequencer component.", DefaultValueFactory = _ => "sequencer" };
var strong = new Option<bool>("--strong") { Description = "STRONG: strictly increasing across every sidecar (default WEAK)." };
var nextId = new Command("next-id", "Print the next id of a key.") { key, sidecar, sequencerStore, strong };
nextId.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    var response = await new Runtime.RuntimeClient(channel).GetNextIdAsync(new GetNextIdRequest
    {
        StoreName = result.GetValue(sequencerStore),
        Key = result.GetValue(key),
        Options = new SequencerOptions { Increment = result.GetValue(strong) ? SequencerOptions.Types.AutoIncrement.Strong : SequencerOptions.Types.AutoIncrement.Weak },
    }, cancellationToken: cancellationToken);
    Console.WriteLine(response.NextId);
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

var steps = new Argument<string[]>("steps") { Description = "Steps as app-id:method[:compensation-method], in order (none: the steps of --name in the sidecar's configuration).", Arity = ArgumentArity.ZeroOrMore };
var workflowName = new Option<string>("--name") { Description = "The workflow's name (without steps: one configured under BusRuntime:Workflows).", DefaultValueFactory = _ => "" };
var instanceId = new Option<string>("--id") { Description = "The instance id (default: the sidecar generates one).", DefaultValueFactory = _ => "" };
var input = new Option<string>("--input") { Description = "The workflow's input, the first step's data (UTF-8).", DefaultValueFactory = _ => "" };
var workflowStart = new Command("start", "Start a workflow and print its instance id.") { steps, workflowName, instanceId, input, sidecar };
workflowStart.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    var request = new StartWorkflowRequest
    {
        WorkflowName = result.GetValue(workflowName),
        InstanceId = result.GetValue(instanceId),
        Input = ByteString.CopyFromUtf8(result.GetValue(input)),
    };
    foreach (var parts in (result.GetValue(steps) ?? []).Select(step => step.Split(':', 3)))
    {
        request.Steps.Add(new WorkflowStep { AppId = parts[0], Method = parts.Length > 1 ? parts[1] : "", CompensationMethod = parts.Length > 2 ? parts[2] : "" });
    }

    var response = await new Runtime.RuntimeClient(channel).StartWorkflowAsync(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);
    Console.WriteLine($"started {response.InstanceId}");
});
var workflowId = new Argument<string>("id") { Description = "The instance id." };
var workflowGet = new Command("get", "Print a workflow instance's status and steps.") { workflowId, sidecar };
workflowGet.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    var workflow = (await new Runtime.RuntimeClient(channel).GetWorkflowAsync(new GetWorkflowRequest { InstanceId = result.GetValue(workflowId) }, cancellationToken: cancellationToken)).Workflow;
    Console.WriteLine($"{workflow.InstanceId} {workflow.Status} step {workflow.CurrentStep}/{workflow.Steps.Count}{(workflow.Error is { } error ? $" error at step {error.Step} ({error.AppId}) {error.Status}: {error.Message}" : "")}");
    foreach (var step in workflow.Steps)
    {
        Console.WriteLine($"  {step.AppId}:{step.Method} {step.Status}{(step.HasOutputSize ? $" output {step.OutputSize} bytes" : "")}");
    }
});
var reason = new Option<string>("--reason") { Description = "Why (kept with the instance).", DefaultValueFactory = _ => "" };
var workflowTerminate = new Command("terminate", "Stop a workflow: no further step runs, completed steps are compensated.") { workflowId, reason, sidecar };
workflowTerminate.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    await new Runtime.RuntimeClient(channel).TerminateWorkflowAsync(new TerminateWorkflowRequest { InstanceId = result.GetValue(workflowId), Reason = result.GetValue(reason) }, cancellationToken: cancellationToken);
    Console.WriteLine("termination requested");
});

var configAppId = new Option<string>("--app-id") { Description = "The app whose configuration this is. Default: the sidecar's own app.", DefaultValueFactory = _ => "" };
var group = new Option<string>("--group") { Description = "The items' group.", DefaultValueFactory = _ => "" };
var label = new Option<string>("--label") { Description = "The items' label.", DefaultValueFactory = _ => "" };
var configStore = new Option<string>("--store") { Description = "The configuration component.", DefaultValueFactory = _ => "configstore" };
var keys = new Argument<string[]>("keys") { Description = "The keys (none: every key of the app, group and label).", Arity = ArgumentArity.ZeroOrMore };
var tag = new Option<string[]>("--tag") { Description = "A tag as name=value; repeat for more. On get: only items with every tag given.", AllowMultipleArgumentsPerToken = false };

var configGet = new Command("get", "Print configuration items.") { keys, sidecar, configStore, configAppId, group, label, tag };
configGet.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    var request = new GetConfigurationRequest
    {
        StoreName = result.GetValue(configStore),
        AppId = result.GetValue(configAppId),
        Group = result.GetValue(group),
        Label = result.GetValue(label),
        Keys = { result.GetValue(keys) ?? [] },
    };
    foreach (var (name, tagValue) in Tags(result.GetValue(tag)))
    {
        request.Tags[name] = tagValue;
    }

    var response = await new Runtime.RuntimeClient(channel).GetConfigurationAsync(request, cancellationToken: cancellationToken);
    foreach (var item in response.Items)
    {
        Console.WriteLine(Describe(item));
    }
});

var configSave = new Command("save", "Save one configuration item.") { key, value, sidecar, configStore, configAppId, group, label, tag };
configSave.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    var item = new ConfigurationItem { Key = result.GetValue(key), Content = result.GetValue(value), Group = result.GetValue(group), Label = result.GetValue(label) };
    foreach (var (name, tagValue) in Tags(result.GetValue(tag)))
    {
        item.Tags[name] = tagValue;
    }

    await new Runtime.RuntimeClient(channel).SaveConfigurationAsync(
        new SaveConfigurationRequest { StoreName = result.GetValue(configStore), AppId = result.GetValue(configAppId), Items = { item } }, cancellationToken: cancellationToken);
    Console.WriteLine("saved");
});

var configDelete = new Command("delete", "Delete configuration items.") { keys, sidecar, configStore, configAppId, group, label };
configDelete.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    await new Runtime.RuntimeClient(channel).DeleteConfigurationAsync(new DeleteConfigurationRequest
    {
        StoreName = result.GetValue(configStore),
        AppId = result.GetValue(configAppId),
        Group = result.GetValue(group),
        Label = result.GetValue(label),
        Keys = { result.GetValue(keys) ?? [] },
    }, cancellationToken: cancellationToken);
    Console.WriteLine("deleted");
});

var configWatch = new Command("watch", "Print the current items, then every change, until Ctrl+C.") { keys, sidecar, configStore, configAppId, group, label };
configWatch.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    using var call = new Runtime.RuntimeClient(channel).SubscribeConfiguration(cancellationToken: cancellationToken);
    await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest
    {
        StoreName = result.GetValue(configStore),
        AppId = result.GetValue(configAppId),
        Group = result.GetValue(group),
        Label = result.GetValue(label),
        Keys = { result.GetValue(keys) ?? [] },
    }, cancellationToken);
    var first = true;
    while (await call.ResponseStream.MoveNext(cancellationToken))
    {
        if (first)
        {
            Console.WriteLine($"watching {call.ResponseStream.Current.Items.Count} item(s)");
            first = false;
        }

        foreach (var item in call.ResponseStream.Current.Items)
        {
            Console.WriteLine(Describe(item));
        }
    }
});

var secretStore = new Option<string>("--store") { Description = "The secret store.", DefaultValueFactory = _ => "secretstore" };
var secretGet = new Command("get", "Print one secret.") { key, sidecar, secretStore };
secretGet.SetAction(async (result, cancellationToken) =>
{
    using var channel = GrpcChannel.ForAddress(result.GetValue(sidecar)!);
    var response = await new Runtime.RuntimeClient(channel).GetSecretAsync(
        new GetSecretRequest { StoreName = result.GetValue(secretStore), Key = result.GetValue(key) }, cancellationToken: cancellationToken);
    foreach (var (name, secret) in response.Data)
    {
        Console.WriteLine($"{name} = {secret}");
    }
});

try
{
    return await new RootCommand("BusRuntime quickstart app: pub/sub, invocation, state, locks, sequences, configuration, secrets and workflows through a sidecar.")
        {
            publish,
            subscribe,
            invoke,
            new Command("state", "Read and write the state store.") { stateGet, stateSave, stateDelete },
            tryLock,
            unlock,
            nextId,
            new Command("config", "Read, write and watch the configuration store.") { configGet, configSave, configDelete, configWatch },
            new Command("secret", "Read the secret stores.") { secretGet },
            new Command("workflow", "Start, inspect and terminate workflows.") { workflowStart, workflowGet, workflowTerminate },
        }
        .Parse(args)
        .InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Grpc.Core.RpcException error)
{
    await Console.Error.WriteLineAsync($"error: {error.StatusCode}: {error.Status.Detail}");
    return 1;
}

static IEnumerable<(string Name, string Value)> Tags(string[]? tags) =>
    (tags ?? []).Select(tag => tag.Split('=', 2)).Select(parts => (parts[0], parts.Length > 1 ? parts[1] : ""));

static string Describe(ConfigurationItem item) =>
    item.Deleted
        ? $"{item.Group}/{item.Label}/{item.Key} deleted  version {item.Version}"
        : $"{item.Group}/{item.Label}/{item.Key} = {item.Content}  version {item.Version}{(item.Tags.Count == 0 ? "" : "  tags " + string.Join(",", item.Tags.Select(pair => $"{pair.Key}={pair.Value}")))}";
