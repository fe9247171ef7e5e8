using BusRuntime.Core.Configuration;
using BusRuntime.Core.DeadLetters;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Health;
using BusRuntime.Core.Journal;
using BusRuntime.Core.Metadata;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Security;
using BusRuntime.Core.Subscriptions;
using BusRuntime.Core.Transport;
using BusRuntime.Grpc.Workflows;
using BusRuntime.Protos.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using JournalEntry = BusRuntime.Core.Journal.JournalEntry;

namespace BusRuntime.Grpc.Operations;

/// <summary>
/// busruntime.v1.Operations: readiness, the journal's queries and replay, dead letters and workflows, for the busruntime
/// command line. Every call but GetHealth is in the view its operator token gives (<see cref="OperatorTokenGuard"/>):
/// the sidecar's app's, or the deployment's.
/// </summary>
public sealed class OperationsService(
    IJournalStore store,
    MessageReplayer replayer,
    DeadLetterOperations deadLetters,
    WorkflowRpcs workflows,
    Readiness readiness,
    OperatorTokenGuard operatorToken,
    IOptions<JournalOptions> options,
    IOptions<RuntimeOptions> runtimeOptions,
    IOptions<ComponentsOptions> components,
    IBusTransport transport,
    PubSubComponents pubSubs,
    TopicSubscriptions subscriptions) : Protos.V1.Operations.OperationsBase
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public override async Task<GetHealthResponse> GetHealth(GetHealthRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var report = await readiness.CheckAsync(context.CancellationToken).ConfigureAwait(false);
        var response = new GetHealthResponse { Status = report.Status };
        foreach (var (name, component) in report.Components)
        {
            var health = new Protos.V1.ComponentHealth { Status = component.Status };
            foreach (var (key, value) in component.Details)
            {
                health.Details[key] = value;
            }

            response.Components[name] = health;
        }

        return response;
    }

    public override Task<GetInfoResponse> GetInfo(GetInfoRequest request, ServerCallContext context)
    {
        var response = new GetInfoResponse { AppId = runtimeOptions.Value.AppId, Version = RuntimeVersion.Current, Transport = transport.Name };
        response.Pubsubs.AddRange(pubSubs.Names);
        response.Components.AddRange(components.Value.Components.Select(component => new Protos.V1.ComponentInfo { Name = component.Name, Type = component.Type }));
        response.Subscriptions.AddRange(subscriptions.List().Select(subscription => new Protos.V1.SubscriptionInfo
        {
            PubsubName = subscription.PubsubName,
            Topic = subscription.Topic,
            Queue = subscription.Queue,
            Handlers = subscription.Handlers,
        }));
        return Task.FromResult(response);
    }

    public override async Task<ListMessagesResponse> ListMessages(ListMessagesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var view = View(context);
        MessageReplayer.EnsureEnabled(options.Value);
        if (request.Limit is < 0 or > MaxLimit)
        {
            throw RuntimeException.InvalidArgument($"limit {request.Limit} is out of range; it must be between 1 and {MaxLimit} (0 means {DefaultLimit}).");
        }

        JournalOutcome? outcome = null;
        if (!string.IsNullOrEmpty(request.Outcome))
        {
            outcome = JournalOutcomeNames.TryParse(request.Outcome, out var parsed)
                ? parsed
                : throw RuntimeException.InvalidArgument($"outcome {Quoted.Of(request.Outcome)} is not one of: {string.Join(", ", JournalOutcomeNames.All)}.");
        }

        var query = new JournalQuery(
            NullIfEmpty(request.Topic),
            NullIfEmpty(request.AppId),
            Timestamps.ToTime(request.Since, "since"),
            outcome,
            request.Limit == 0 ? DefaultLimit : request.Limit)
        {
            AppId = view.AppId,
            Kind = NullIfEmpty(request.Kind),
            ConversationId = NullIfEmpty(request.ConversationId),
            Before = Timestamps.ToTime(request.Before, "before"),
        };
        var entries = await store.QueryAsync(query, context.CancellationToken).ConfigureAwait(false);
        var response = new ListMessagesResponse();
        response.Entries.AddRange(entries.Select(entry => ToProto(entry, withBody: false)));
        return response;
    }

    public override async Task<GetMessageResponse> GetMessage(GetMessageRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var entries = await MessageReplayer.Journaled(store, options.Value, View(context), request.MessageId, context.CancellationToken).ConfigureAwait(false);
        var response = new GetMessageResponse();
        response.Entries.AddRange(entries.Select(entry => ToProto(entry, withBody: true)));
        return response;
    }

    public override async Task<ReplayMessageResponse> ReplayMessage(ReplayMessageRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var result = await replayer.ReplayAsync(View(context), request.MessageId, NullIfEmpty(request.ToTopic), NullIfEmpty(request.ToAppId), request.DryRun, context.CancellationToken).ConfigureAwait(false);
        var response = new ReplayMessageResponse { MessageId = result.MessageId ?? "", Topic = result.Topic, DestinationAddress = result.DestinationAddress };
        response.Warnings.AddRange(result.Warnings);
        return response;
    }

    public override async Task<ListDeadLettersResponse> ListDeadLetters(ListDeadLettersRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var view = View(context);
        if (request.Limit is < 0 or > MaxLimit)
        {
            throw RuntimeException.InvalidArgument($"limit {request.Limit} is out of range; it must be between 0 and {MaxLimit}.");
        }

        var response = new ListDeadLettersResponse();
        foreach (var queue in await deadLetters.ListQueuesAsync(view, NullIfEmpty(request.Queue), context.CancellationToken).ConfigureAwait(false))
        {
            response.Queues.Add(new Protos.V1.DeadLetterQueue { Name = queue.Name, SourceQueue = queue.SourceQueue, Count = queue.Count ?? -1 });
            if (request.Limit > 0 && queue.Count > 0)
            {
                var messages = await deadLetters.PeekAsync(view, queue.Name, request.Limit, context.CancellationToken).ConfigureAwait(false);
                response.Messages.AddRange(messages.Select(ToProto));
            }
        }

        return response;
    }

    public override async Task<RedriveDeadLetterResponse> RedriveDeadLetter(RedriveDeadLetterRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var moved = await deadLetters.RedriveOneAsync(View(context), request.Queue, NullIfEmpty(request.MessageId), context.CancellationToken).ConfigureAwait(false);
        return moved is null ? new RedriveDeadLetterResponse() : new RedriveDeadLetterResponse { Moved = true, Message = ToProto(moved) };
    }

    public override Task<ListWorkflowsResponse> ListWorkflows(ListWorkflowsRequest request, ServerCallContext context) =>
        workflows.ListWorkflows(request, context, View(context));

    public override Task<GetWorkflowResponse> GetWorkflow(GetWorkflowRequest request, ServerCallContext context) =>
        workflows.GetWorkflow(request, context, View(context));

    private OperationsView View(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return operatorToken.ViewFor(context.RequestHeaders.GetValue(OperatorTokenGuard.HeaderName));
    }

    private static Protos.V1.DeadLetter ToProto(Core.DeadLetters.DeadLetter message) => new()
    {
        MessageId = message.MessageId,
        Queue = message.Queue,
        Reason = message.Reason ?? "",
        FaultedAt = message.FaultedAt ?? "",
    };

    private static Protos.V1.JournalEntry ToProto(JournalEntry entry, bool withBody)
    {
        var proto = new Protos.V1.JournalEntry
        {
            MessageId = entry.MessageId,
            ConversationId = entry.ConversationId ?? "",
            CorrelationId = entry.CorrelationId ?? "",
            Kind = entry.Kind,
            SourceAppId = entry.SourceAppId ?? "",
            DestinationAddress = entry.DestinationAddress ?? "",
            Topic = entry.Topic ?? "",
            Body = withBody ? entry.Body : "",
            RecordedAt = Timestamp.FromDateTimeOffset(entry.RecordedAt),
            Outcome = JournalOutcomeNames.Name(entry.Outcome),
            Retries = entry.Retries,
            Reason = entry.Reason ?? "",
            BodyOmittedBytes = entry.BodyOmittedBytes ?? 0,
        };
        if (withBody)
        {
            foreach (var (key, value) in entry.Headers)
            {
                proto.Headers[key] = value;
            }
        }

        return proto;
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
