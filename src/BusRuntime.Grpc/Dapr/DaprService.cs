using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Invoke;
using BusRuntime.Core.Locks;
using BusRuntime.Core.Metadata;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Secrets;
using BusRuntime.Core.State;
using BusRuntime.Core.Subscriptions;
using BusRuntime.Grpc.Runtime;
using BusRuntime.Protos.Dapr.Runtime.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using DaprInvokeRequest = BusRuntime.Protos.Dapr.Common.V1.InvokeRequest;
using DaprInvokeResponse = BusRuntime.Protos.Dapr.Common.V1.InvokeResponse;
using HttpVerb = BusRuntime.Protos.Dapr.Common.V1.HTTPExtension.Types.Verb;

namespace BusRuntime.Grpc.Dapr;

/// <summary>
/// dapr.proto.runtime.v1.Dapr, so that apps written with the Dapr SDKs run unchanged: validates and maps each
/// call onto the primitive that also serves busruntime.v1.Runtime. Alpha1 names answer as their stable ones.
/// </summary>
public sealed class DaprService(
    TopicPublisher publisher,
    TopicSubscriptions subscriptions,
    ServiceInvoker invoker,
    StateManager state,
    LockManager locks,
    AppConfigurationManager configuration,
    SecretManager secrets,
    ConfigurationStreams configurationStreams,
    ExtendedMetadata extendedMetadata,
    IOptions<RuntimeOptions> runtimeOptions,
    IOptions<ComponentsOptions> components,
    IOptions<AppChannelOptions> appCallback,
    IHostApplicationLifetime lifetime) : Protos.Dapr.Runtime.V1.Dapr.DaprBase
{
    private static readonly Empty Done = new();
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    // ---- Service invocation ----

    public override async Task<DaprInvokeResponse> InvokeService(InvokeServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(request.Id))
        {
            throw RuntimeException.InvalidArgument("id is empty; name the app to invoke.");
        }

        var message = request.Message
            ?? throw RuntimeException.InvalidArgument("message is missing; it names the method to invoke and carries its data.");
        var response = await invoker.InvokeAsync(ToCall(request.Id, message, context.RequestHeaders), InvokeServiceMapping.Deadline(context), context.CancellationToken).ConfigureAwait(false);
        if (response.Headers.Count > 0)
        {
            await context.WriteResponseHeadersAsync(InvokeServiceMapping.ToMetadata(response.Headers)).ConfigureAwait(false);
        }

        foreach (var (key, value) in response.Trailers)
        {
            context.ResponseTrailers.Add(key, value);
        }

        return new DaprInvokeResponse
        {
            Data = new Any { TypeUrl = response.DataTypeUrl, Value = ByteString.CopyFrom(response.Data) },
            ContentType = response.ContentType,
        };
    }

    // ---- State ----

    public override async Task<GetStateResponse> GetState(GetStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var value = await state.GetAsync(request.StoreName, request.Key, context.CancellationToken).ConfigureAwait(false);
        return DaprStateMapping.ToResponse(value);
    }

    public override async Task<GetBulkStateResponse> GetBulkState(GetBulkStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var values = await state.GetBulkAsync(request.StoreName, request.Keys, context.CancellationToken).ConfigureAwait(false);
        var response = new GetBulkStateResponse();
        response.Items.AddRange(values.Select(DaprStateMapping.ToBulkItem));
        return response;
    }

    public override async Task<Empty> SaveState(SaveStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await state.SaveAsync(request.StoreName, [.. request.States.Select(item => DaprStateMapping.ToUpsert(item))], context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public override async Task<Empty> DeleteState(DeleteStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await state.DeleteAsync(request.StoreName, DaprStateMapping.ToDelete(request.Key, request.Etag, request.Options), context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public override async Task<Empty> DeleteBulkState(DeleteBulkStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await state.DeleteBulkAsync(request.StoreName, [.. request.States.Select(DaprStateMapping.ToDelete)], context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public override async Task<Empty> ExecuteStateTransaction(ExecuteStateTransactionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var defaults = new Dictionary<string, string>(request.Metadata, StringComparer.Ordinal);
        var operations = request.Operations.Select((operation, index) => DaprStateMapping.ToChange(operation, index, defaults)).ToList();
        await state.ExecuteTransactionAsync(request.StoreName, operations, context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    // ---- Pub/sub ----

    public override async Task<Empty> PublishEvent(PublishEventRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await publisher.PublishAsync(
            new PublishRequest(request.PubsubName, request.Topic, request.Data.Memory, request.DataContentType, request.Metadata),
            context.CancellationToken).ConfigureAwait(false);
        return Done;
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
        response.FailedEntries.AddRange(results
            .Where(result => result.Error is not null)
            .Select(result => new BulkPublishResponseFailedEntry { EntryId = result.EntryId, Error = result.Error }));
        return response;
    }

    public override Task<BulkPublishResponse> BulkPublishEventAlpha1(BulkPublishRequest request, ServerCallContext context) =>
        BulkPublishEvent(request, context);

    public override async Task SubscribeTopicEventsAlpha1(
        IAsyncStreamReader<SubscribeTopicEventsRequestAlpha1> requestStream,
        IServerStreamWriter<SubscribeTopicEventsResponseAlpha1> responseStream,
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
            ?? throw RuntimeException.InvalidArgument("the first message of SubscribeTopicEventsAlpha1 must be initial_request, naming pubsub_name and topic.");
        // The .NET SDK always sets the optional field, to "" when the app named no dead-letter topic.
        if (!string.IsNullOrEmpty(initial.DeadLetterTopic))
        {
            throw RuntimeException.InvalidArgument(
                "initial_request.dead_letter_topic is not supported: BusRuntime moves events a subscriber drops or keeps failing to its subscription's error queue; leave it out.");
        }

        await TopicEventStreaming.RunAsync(
            subscriptions,
            initial.PubsubName,
            initial.Topic,
            token => responseStream.WriteAsync(new SubscribeTopicEventsResponseAlpha1 { InitialResponse = new SubscribeTopicEventsResponseInitialAlpha1() }, token),
            (topicEvent, token) => responseStream.WriteAsync(new SubscribeTopicEventsResponseAlpha1 { EventMessage = topicEvent }, token),
            async token =>
            {
                if (!await requestStream.MoveNext(token).ConfigureAwait(false))
                {
                    return null;
                }

                var processed = requestStream.Current.EventProcessed
                    ?? throw RuntimeException.InvalidArgument("only event_processed may follow initial_request on a SubscribeTopicEventsAlpha1 stream.");
                return (processed.Id, processed.Status?.Status ?? TopicEventResponse.Types.TopicEventResponseStatus.Success);
            },
            cancellationToken).ConfigureAwait(false);
    }

    // ---- Secrets ----

    public override async Task<GetSecretResponse> GetSecret(GetSecretRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var secret = await secrets.GetAsync(request.StoreName, request.Key, context.CancellationToken).ConfigureAwait(false);
        var response = new GetSecretResponse();
        response.Data.AddAll(secret);
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

    // ---- Configuration ----

    public override async Task<GetConfigurationResponse> GetConfiguration(GetConfigurationRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = request.Metadata.AsReadOnly();
        var items = await configuration.GetAsync(
            request.StoreName,
            runtimeOptions.Value.AppId,
            DaprConfigurationMapping.GroupOf(metadata),
            DaprConfigurationMapping.LabelOf(metadata),
            request.Keys,
            NoTags,
            context.CancellationToken).ConfigureAwait(false);
        var response = new GetConfigurationResponse();
        DaprConfigurationMapping.AddItems(response.Items, items);
        return response;
    }

    public override Task<GetConfigurationResponse> GetConfigurationAlpha1(GetConfigurationRequest request, ServerCallContext context) =>
        GetConfiguration(request, context);

    public override async Task SubscribeConfiguration(
        SubscribeConfigurationRequest request, IServerStreamWriter<SubscribeConfigurationResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = request.Metadata.AsReadOnly();
        var subscription = new ConfigurationSubscription(
            request.StoreName, runtimeOptions.Value.AppId, DaprConfigurationMapping.GroupOf(metadata), DaprConfigurationMapping.LabelOf(metadata), [.. request.Keys]);
        using var watch = await configuration.SubscribeAsync(subscription, context.CancellationToken).ConfigureAwait(false);
        using var registration = configurationStreams.Add(request.StoreName, context.CancellationToken);

        // As Dapr does: the first message carries only the id that UnsubscribeConfiguration takes.
        await responseStream.WriteAsync(new SubscribeConfigurationResponse { Id = registration.Id }, context.CancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (var items in watch.ReadAllAsync(registration.Token).ConfigureAwait(false))
            {
                if (items.Count == 0)
                {
                    continue;
                }

                var response = new SubscribeConfigurationResponse { Id = registration.Id };
                DaprConfigurationMapping.AddItems(response.Items, items);
                await responseStream.WriteAsync(response, registration.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (registration.Unsubscribed && !context.CancellationToken.IsCancellationRequested)
        {
            // UnsubscribeConfiguration ended the stream: it completes with OK, as in Dapr.
        }
    }

    public override Task SubscribeConfigurationAlpha1(
        SubscribeConfigurationRequest request, IServerStreamWriter<SubscribeConfigurationResponse> responseStream, ServerCallContext context) =>
        SubscribeConfiguration(request, responseStream, context);

    public override Task<UnsubscribeConfigurationResponse> UnsubscribeConfiguration(UnsubscribeConfigurationRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Id))
        {
            throw RuntimeException.InvalidArgument("id is empty; pass the id the first SubscribeConfiguration response carried.");
        }

        // As in Dapr, an unknown id is an answer (ok false), not an error.
        return Task.FromResult(configurationStreams.Stop(request.StoreName, request.Id)
            ? new UnsubscribeConfigurationResponse { Ok = true }
            : new UnsubscribeConfigurationResponse { Ok = false, Message = $"no SubscribeConfiguration stream with id '{request.Id}' is open on configuration store '{request.StoreName}'." });
    }

    public override Task<UnsubscribeConfigurationResponse> UnsubscribeConfigurationAlpha1(UnsubscribeConfigurationRequest request, ServerCallContext context) =>
        UnsubscribeConfiguration(request, context);

    // ---- Locks ----

    public override async Task<TryLockResponse> TryLockAlpha1(TryLockRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.ExpiryInSeconds <= 0)
        {
            throw RuntimeException.InvalidArgument($"expiry_in_seconds is {request.ExpiryInSeconds}; a lease lasts a whole number of seconds, at least 1.");
        }

        var taken = await locks.TryLockAsync(request.StoreName, request.ResourceId, request.LockOwner, request.ExpiryInSeconds, context.CancellationToken).ConfigureAwait(false);
        return new TryLockResponse { Success = taken };
    }

    public override async Task<UnlockResponse> UnlockAlpha1(UnlockRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var status = await locks.UnlockAsync(request.StoreName, request.ResourceId, request.LockOwner, context.CancellationToken).ConfigureAwait(false);
        return new UnlockResponse
        {
            Status = status switch
            {
                LockStatus.Success => UnlockResponse.Types.Status.Success,
                LockStatus.LockDoesNotExist => UnlockResponse.Types.Status.LockDoesNotExist,
                LockStatus.LockBelongsToOthers => UnlockResponse.Types.Status.LockBelongsToOthers,
                _ => UnlockResponse.Types.Status.InternalError,
            },
        };
    }

    // ---- Metadata and lifecycle ----

    public override Task<GetMetadataResponse> GetMetadata(GetMetadataRequest request, ServerCallContext context)
    {
        var response = new GetMetadataResponse { Id = runtimeOptions.Value.AppId, RuntimeVersion = RuntimeVersion.Current };
        response.RegisteredComponents.AddRange(components.Value.Components.Select(component => new RegisteredComponents
        {
            Name = component.Name,
            Type = component.Type,
            Version = "v1",
        }));
        response.ExtendedMetadata.AddAll(extendedMetadata.List());
        response.Subscriptions.AddRange(subscriptions.List().Select(subscription => new PubsubSubscription
        {
            PubsubName = subscription.PubsubName,
            Topic = subscription.Topic,
        }));
        if (appCallback.Value.Connection is { } app)
        {
            response.AppConnectionProperties = new AppConnectionProperties { Port = app.Port, Protocol = app.Protocol, ChannelAddress = app.ChannelAddress };
        }

        return Task.FromResult(response);
    }

    public override Task<Empty> SetMetadata(SetMetadataRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        extendedMetadata.Set(request.Key, request.Value);
        return Task.FromResult(Done);
    }

    public override Task<Empty> Shutdown(ShutdownRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Stop only once the answer is on its way, so that the caller sees OK rather than a broken call.
        context.GetHttpContext().Response.OnCompleted(() =>
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        });
        return Task.FromResult(Done);
    }

    /// <summary>As Dapr does, the caller's own gRPC headers travel to the target as the call's metadata.</summary>
    private static InvokeCall ToCall(string appId, DaprInvokeRequest message, Metadata headers)
    {
        var extension = message.HttpExtension;
        var verb = extension is null || extension.Verb == HttpVerb.None ? "" : extension.Verb.ToString().ToUpperInvariant();
        return new InvokeCall(
            appId,
            message.Method,
            message.Data?.Value.Memory ?? ReadOnlyMemory<byte>.Empty,
            message.ContentType,
            verb,
            extension?.Querystring ?? "",
            InvokeHeaders.FromCaller(headers.Where(header => !header.IsBinary).Select(header => KeyValuePair.Create(header.Key, header.Value))),
            message.Data?.TypeUrl ?? "");
    }
}
