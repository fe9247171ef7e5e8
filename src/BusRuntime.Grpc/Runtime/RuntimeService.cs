using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Invoke;
using BusRuntime.Core.Locks;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Secrets;
using BusRuntime.Core.Sequences;
using BusRuntime.Core.State;
using BusRuntime.Core.Subscriptions;
using BusRuntime.Core.Workflows;
using BusRuntime.Protos.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace BusRuntime.Grpc.Runtime;

/// <summary>busruntime.v1.Runtime: validates and maps each call onto the core primitive that does the work.</summary>
public sealed class RuntimeService(
    TopicPublisher publisher,
    TopicSubscriptions subscriptions,
    ServiceInvoker invoker,
    StateManager state,
    LockManager locks,
    Sequencer sequencer,
    AppConfigurationManager configuration,
    SecretManager secrets,
    IWorkflows workflows) : Protos.V1.Runtime.RuntimeBase
{
    private static readonly Empty Done = new();

    public override async Task<PublishEventResponse> PublishEvent(PublishEventRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var messageId = await publisher.PublishAsync(
            new PublishRequest(request.PubsubName, request.Topic, request.Data.Memory, request.DataContentType, request.Metadata),
            context.CancellationToken).ConfigureAwait(false);
        return new PublishEventResponse { MessageId = messageId };
    }

    public override async Task<BulkPublishResponse> BulkPublishEvent(BulkPublishRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var entries = request.Entries
            .Select(entry => new BulkPublishEntry(entry.EntryId, entry.Event.Memory, entry.ContentType, entry.Metadata))
            .ToList();
        var results = await publisher.PublishBulkAsync(request.PubsubName, request.Topic, entries, request.Metadata, context.CancellationToken).ConfigureAwait(false);
        var response = new BulkPublishResponse();
        response.Entries.AddRange(results.Select(result => new BulkPublishResponseEntry
        {
            EntryId = result.EntryId,
            MessageId = result.MessageId ?? "",
            Error = result.Error ?? "",
        }));
        return response;
    }

    public override async Task SubscribeTopicEvents(
        IAsyncStreamReader<SubscribeTopicEventsRequest> requestStream,
        IServerStreamWriter<SubscribeTopicEventsResponse> responseStream,
        ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var initial = requestStream.Current.InitialRequest
            ?? throw RuntimeException.InvalidArgument("the first message of SubscribeTopicEvents must be initial_request, naming pubsub_name and topic.");
        await TopicEventStreaming.RunAsync(
            subscriptions,
            initial.PubsubName,
            initial.Topic,
            token => responseStream.WriteAsync(new SubscribeTopicEventsResponse { InitialResponse = new SubscribeTopicEventsResponseInitial() }, token),
            (topicEvent, token) => responseStream.WriteAsync(new SubscribeTopicEventsResponse { EventMessage = topicEvent }, token),
            async token =>
            {
                if (!await requestStream.MoveNext(token).ConfigureAwait(false))
                {
                    return null;
                }

                var processed = requestStream.Current.EventProcessed
                    ?? throw RuntimeException.InvalidArgument("only event_processed may follow initial_request on a SubscribeTopicEvents stream.");
                return (processed.Id, processed.Status?.Status ?? Protos.Dapr.Runtime.V1.TopicEventResponse.Types.TopicEventResponseStatus.Success);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public override async Task<Protos.V1.InvokeResponse> InvokeService(InvokeServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var response = await invoker.InvokeAsync(InvokeServiceMapping.ToCall(request), InvokeServiceMapping.Deadline(context), context.CancellationToken).ConfigureAwait(false);
        if (response.Headers.Count > 0)
        {
            await context.WriteResponseHeadersAsync(InvokeServiceMapping.ToMetadata(response.Headers)).ConfigureAwait(false);
        }

        foreach (var (key, value) in response.Trailers)
        {
            context.ResponseTrailers.Add(key, value);
        }

        return InvokeServiceMapping.ToResponse(response);
    }

    public override async Task<GetStateResponse> GetState(GetStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var value = await state.GetAsync(request.StoreName, request.Key, context.CancellationToken).ConfigureAwait(false);
        return StateMapping.ToResponse(value);
    }

    public override async Task<GetBulkStateResponse> GetBulkState(GetBulkStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var values = await state.GetBulkAsync(request.StoreName, request.Keys, context.CancellationToken).ConfigureAwait(false);
        var response = new GetBulkStateResponse();
        response.Items.AddRange(values.Select(StateMapping.ToBulkItem));
        return response;
    }

    public override async Task<Empty> SaveState(SaveStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await state.SaveAsync(request.StoreName, [.. request.States.Select(item => StateMapping.ToUpsert(item))], context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public override async Task<Empty> DeleteState(DeleteStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await state.DeleteAsync(request.StoreName, StateMapping.ToDelete(request.Key, request.Etag, request.Options), context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public override async Task<Empty> DeleteBulkState(DeleteBulkStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await state.DeleteBulkAsync(request.StoreName, [.. request.States.Select(StateMapping.ToDelete)], context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public override async Task<Empty> ExecuteStateTransaction(ExecuteStateTransactionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var defaults = new Dictionary<string, string>(request.Metadata, StringComparer.Ordinal);
        var operations = request.Operations.Select((operation, index) => StateMapping.ToChange(operation, index, defaults)).ToList();
        await state.ExecuteTransactionAsync(request.StoreName, operations, context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public override async Task<TryLockResponse> TryLock(TryLockRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var taken = await locks.TryLockAsync(request.StoreName, request.ResourceId, request.LockOwner, request.Expire, context.CancellationToken).ConfigureAwait(false);
        return new TryLockResponse { Success = taken };
    }

    public override async Task<UnlockResponse> Unlock(UnlockRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var status = await locks.UnlockAsync(request.StoreName, request.ResourceId, request.LockOwner, context.CancellationToken).ConfigureAwait(false);
        return new UnlockResponse { Status = LockMapping.ToUnlockStatus(status) };
    }

    public override async Task<LockKeepAliveResponse> LockKeepAlive(LockKeepAliveRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var status = await locks.KeepAliveAsync(request.StoreName, request.ResourceId, request.LockOwner, request.Expire, context.CancellationToken).ConfigureAwait(false);
        return new LockKeepAliveResponse { ResourceId = request.ResourceId, Status = LockMapping.ToKeepAliveStatus(status) };
    }

    public override async Task<GetNextIdResponse> GetNextId(GetNextIdRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var increment = request.Options?.Increment == SequencerOptions.Types.AutoIncrement.Strong ? SequenceIncrement.Strong : SequenceIncrement.Weak;
        var nextId = await sequencer.GetNextIdAsync(request.StoreName, request.Key, increment, context.CancellationToken).ConfigureAwait(false);
        return new GetNextIdResponse { NextId = nextId };
    }

    public override async Task<GetConfigurationResponse> GetConfiguration(GetConfigurationRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var items = await configuration.GetAsync(
            request.StoreName, request.AppId, request.Group, request.Label, request.Keys, request.Tags.AsReadOnly(), context.CancellationToken).ConfigureAwait(false);
        var response = new GetConfigurationResponse();
        response.Items.AddRange(items.Select(ConfigurationMapping.ToWire));
        return response;
    }

    public override async Task<Empty> SaveConfiguration(SaveConfigurationRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await configuration.SaveAsync(request.StoreName, request.AppId, [.. request.Items.Select(ConfigurationMapping.ToItem)], context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public override async Task<Empty> DeleteConfiguration(DeleteConfigurationRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await configuration.DeleteAsync(request.StoreName, request.AppId, request.Group, request.Label, request.Keys, context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public override async Task SubscribeConfiguration(
        IAsyncStreamReader<SubscribeConfigurationRequest> requestStream,
        IServerStreamWriter<SubscribeConfigurationResponse> responseStream,
        ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var request = requestStream.Current;
        using var watch = await configuration.SubscribeAsync(ConfigurationMapping.ToSubscription(request), cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = WriteConfigurationAsync(watch, request, responseStream, stop.Token);
        var reading = RefuseFurtherRequestsAsync(requestStream, stop.Token);
        try
        {
            var first = await Task.WhenAny(writing, reading).ConfigureAwait(false);
            await first.ConfigureAwait(false);
            // The client said all it had to say: keep streaming until it goes away.
            await writing.ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(writing, reading).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public override async Task<GetSecretResponse> GetSecret(GetSecretRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var secret = await secrets.GetAsync(request.StoreName, request.Key, context.CancellationToken).ConfigureAwait(false);
        var response = new GetSecretResponse();
        foreach (var (key, value) in secret)
        {
            response.Data[key] = value;
        }

        return response;
    }

    public override async Task<GetBulkSecretResponse> GetBulkSecret(GetBulkSecretRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var all = await secrets.GetBulkAsync(request.StoreName, context.CancellationToken).ConfigureAwait(false);
        var response = new GetBulkSecretResponse();
        foreach (var (key, value) in all)
        {
            response.Data[key] = new SecretResponse { Secrets = { [key] = value } };
        }

        return response;
    }

    public override async Task<StartWorkflowResponse> StartWorkflow(StartWorkflowRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var instanceId = await workflows.StartAsync(request.WorkflowName, request.InstanceId, request.Input.Memory, WorkflowMapping.ToSteps(request), context.CancellationToken).ConfigureAwait(false);
        return new StartWorkflowResponse { InstanceId = instanceId };
    }

    public override async Task<GetWorkflowResponse> GetWorkflow(GetWorkflowRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var instance = await workflows.GetAsync(request.InstanceId, context.CancellationToken).ConfigureAwait(false);
        return new GetWorkflowResponse { Workflow = WorkflowMapping.ToProto(instance) };
    }

    public override async Task<Empty> TerminateWorkflow(TerminateWorkflowRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await workflows.TerminateAsync(request.InstanceId, request.Reason, context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    private static async Task WriteConfigurationAsync(
        ConfigurationWatch watch, SubscribeConfigurationRequest request, IServerStreamWriter<SubscribeConfigurationResponse> responseStream, CancellationToken cancellationToken)
    {
        await foreach (var items in watch.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var response = new SubscribeConfigurationResponse { StoreName = request.StoreName, AppId = request.AppId };
            response.Items.AddRange(items.Select(ConfigurationMapping.ToWire));
            await responseStream.WriteAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task RefuseFurtherRequestsAsync(IAsyncStreamReader<SubscribeConfigurationRequest> requestStream, CancellationToken cancellationToken)
    {
        if (await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            throw RuntimeException.InvalidArgument("SubscribeConfiguration takes one request per stream; open another stream to follow other items.");
        }
    }
}
