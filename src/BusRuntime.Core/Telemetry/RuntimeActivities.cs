using System.Diagnostics;
using BusRuntime.Core.Metadata;
using MassTransit;

namespace BusRuntime.Core.Telemetry;

/// <summary>
/// The runtime's spans, from one <see cref="ActivitySource"/> named <see cref="SourceName"/>: a publish, the
/// delivery of an event to the app, an invocation on the caller's and on the target's sidecar, a store call,
/// a workflow step. Each starts only when a listener samples it (null otherwise, and nothing is allocated),
/// under the current activity: the app's call, or MassTransit's consume, which continues the sender's trace.
/// </summary>
public static class RuntimeActivities
{
    public const string SourceName = "BusRuntime";

    /// <summary>The W3C header names the runtime writes on the messages it sends and reads on those it consumes.</summary>
    public const string TraceParentHeader = "traceparent";

    public const string TraceStateHeader = "tracestate";

    public const string AppIdTag = "busruntime.app_id";
    public const string PubsubTag = "busruntime.pubsub";
    public const string OutcomeTag = "busruntime.outcome";
    public const string ComponentTag = "busruntime.component";
    public const string CallerTag = "busruntime.invoke.caller";
    public const string WorkflowInstanceTag = "busruntime.workflow.instance_id";
    public const string WorkflowStepTag = "busruntime.workflow.step";
    public const string MessagingSystemTag = "messaging.system";
    public const string MessagingOperationTag = "messaging.operation.type";
    public const string DestinationTag = "messaging.destination.name";
    public const string SubscriptionTag = "messaging.destination.subscription.name";
    public const string MessageIdTag = "messaging.message.id";
    public const string RpcSystemTag = "rpc.system";
    public const string RpcMethodTag = "rpc.method";
    public const string RpcStatusTag = "rpc.grpc.status_code";
    public const string PeerServiceTag = "peer.service";
    public const string DbOperationTag = "db.operation.name";
    public const string ErrorTypeTag = "error.type";

    // Fixed operation names: a span's readable name (topic, app, store) is its DisplayName, built only once it is sampled.
    private const string Publish = "busruntime.publish";
    private const string Deliver = "busruntime.deliver";
    private const string Invoke = "busruntime.invoke";
    private const string Serve = "busruntime.invoke.serve";
    private const string StoreCall = "busruntime.store";
    private const string WorkflowStep = "busruntime.workflow.step";

    private static readonly ActivitySource Source = new(SourceName, RuntimeVersion.Current);

    /// <summary>The span of one event published, from the call to the broker's confirmation.</summary>
    public static Activity? StartPublish(string appId, string transport, string pubsubName, string topic, Guid messageId)
    {
        var activity = Source.StartActivity(Publish, ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.DisplayName = $"publish {topic}";
            activity.SetTag(AppIdTag, appId);
            activity.SetTag(MessagingSystemTag, transport.ToLowerInvariant());
            activity.SetTag(MessagingOperationTag, "publish");
            activity.SetTag(PubsubTag, pubsubName);
            activity.SetTag(DestinationTag, topic);
            activity.SetTag(MessageIdTag, messageId.ToString());
        }

        return activity;
    }

    /// <summary>
    /// The span of one event handed to the app (its callback or a stream) until it answers. The trace context
    /// the publisher wrote is the parent when nothing else is (MassTransit's consume span normally is); its
    /// tracestate, which MassTransit does not carry, is taken either way.
    /// </summary>
    public static Activity? StartDelivery(
        string appId, string transport, string pubsubName, string topic, string queue, string messageId, string? traceParent, string? traceState)
    {
        var activity = StartConsumed(Deliver, ActivityKind.Consumer, traceParent, traceState);
        if (activity is { IsAllDataRequested: true })
        {
            activity.DisplayName = $"deliver {topic}";
            activity.SetTag(AppIdTag, appId);
            activity.SetTag(MessagingSystemTag, transport.ToLowerInvariant());
            activity.SetTag(MessagingOperationTag, "process");
            activity.SetTag(PubsubTag, pubsubName);
            activity.SetTag(DestinationTag, topic);
            activity.SetTag(SubscriptionTag, queue);
            activity.SetTag(MessageIdTag, messageId);
        }

        return activity;
    }

    /// <summary>The span of one invocation on the caller's sidecar, retries included.</summary>
    public static Activity? StartInvoke(string appId, string target, string method)
    {
        var activity = Source.StartActivity(Invoke, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.DisplayName = $"invoke {target}";
            activity.SetTag(AppIdTag, appId);
            activity.SetTag(RpcSystemTag, "busruntime");
            activity.SetTag(RpcMethodTag, method);
            activity.SetTag(PeerServiceTag, target);
        }

        return activity;
    }

    /// <summary>The span of one invocation on the target's sidecar, from the request off the queue to the answer sent back.</summary>
    public static Activity? StartServe(string appId, string caller, string method, Headers headers)
    {
        var (traceParent, traceState) = Extract(headers);
        var activity = StartConsumed(Serve, ActivityKind.Server, traceParent, traceState);
        if (activity is { IsAllDataRequested: true })
        {
            activity.DisplayName = $"invoke {appId}";
            activity.SetTag(AppIdTag, appId);
            activity.SetTag(RpcSystemTag, "busruntime");
            activity.SetTag(RpcMethodTag, method);
            activity.SetTag(CallerTag, caller);
        }

        return activity;
    }

    /// <summary>The span of one call of a store component (state, lock, sequence, configuration, secret).</summary>
    public static Activity? StartStoreCall(string appId, string component, string operation)
    {
        var activity = Source.StartActivity(StoreCall, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.DisplayName = $"{operation} {component}";
            activity.SetTag(AppIdTag, appId);
            activity.SetTag(ComponentTag, component);
            activity.SetTag(DbOperationTag, operation);
        }

        return activity;
    }

    /// <summary>The span of one workflow step, or of its compensation.</summary>
    public static Activity? StartWorkflowStep(string instanceId, int step, string target, string method, bool compensation)
    {
        var activity = Source.StartActivity(WorkflowStep, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.DisplayName = compensation ? $"compensate workflow step {step}" : $"workflow step {step}";
            activity.SetTag(WorkflowInstanceTag, instanceId);
            activity.SetTag(WorkflowStepTag, step);
            activity.SetTag(PeerServiceTag, target);
            activity.SetTag(RpcMethodTag, method);
        }

        return activity;
    }

    /// <summary>
    /// Writes a span's W3C trace context into a message being sent. MassTransit carries its own send span's id
    /// in a header of its own (MT-Activity-Id), without tracestate; these are the standard names, for any consumer.
    /// </summary>
    public static void Inject(Activity? activity, SendContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (activity?.Id is not { } id)
        {
            return;
        }

        context.Headers.Set(TraceParentHeader, id);
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            context.Headers.Set(TraceStateHeader, activity.TraceStateString);
        }
    }

    /// <summary>The W3C trace context a consumed message carries, when it carries one.</summary>
    public static (string? TraceParent, string? TraceState) Extract(Headers headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return (Text(headers, TraceParentHeader), Text(headers, TraceStateHeader));
    }

    /// <summary>Marks a span failed, with the error's kind (a status or exception name) and what went wrong.</summary>
    public static void Fail(Activity? activity, string errorType, string? description)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, description);
        activity.SetTag(ErrorTypeTag, errorType);
    }

    private static Activity? StartConsumed(string name, ActivityKind kind, string? traceParent, string? traceState)
    {
        var activity = Activity.Current is null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent)
            ? Source.StartActivity(name, kind, parent)
            : Source.StartActivity(name, kind);
        if (activity is not null && traceState is not null && activity.TraceStateString is null)
        {
            activity.TraceStateString = traceState;
        }

        return activity;
    }

    private static string? Text(Headers headers, string key) =>
        headers.TryGetHeader(key, out var value) && value is string text && text.Length > 0 ? text : null;
}
