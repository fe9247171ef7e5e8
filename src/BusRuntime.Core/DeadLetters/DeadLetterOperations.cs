using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Security;
using BusRuntime.Core.Subscriptions;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.DeadLetters;

/// <summary>
/// The dead letters of this sidecar's subscriptions and of its <see cref="OperatedQueue"/>s: MassTransit moves
/// a message whose retries ran out, or that the subscriber dropped, to <c>&lt;queue&gt;_error</c>. Redrive puts
/// it back on its queue. An app's view reaches its own queues (<c>busruntime.app.{app}.…</c>) only; another
/// app's queues and the operated queues, which the deployment shares, need the deployment's view.
/// </summary>
public sealed class DeadLetterOperations(
    TopicSubscriptions subscriptions,
    IOptions<RuntimeOptions> options,
    IEnumerable<OperatedQueue> operatedQueues,
    IDeadLetterQueues? queues = null)
{
    public const string ErrorSuffix = "_error";

    // RabbitMQ's limit on a queue's name, in UTF-8 bytes.
    private const int MaxQueueNameBytes = 255;

    private readonly HashSet<string> operated = [.. operatedQueues.Select(queue => queue.Name)];

    /// <summary>The named queue (a subscription or operated queue, or its _error queue), else the _error queues of them all that are in view.</summary>
    public async Task<IReadOnlyList<DeadLetterQueue>> ListQueuesAsync(OperationsView view, string? queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        var names = string.IsNullOrEmpty(queue)
            ? subscriptions.List().Select(subscription => subscription.Queue)
                .Concat(view.IsDeployment ? operated.Order(StringComparer.Ordinal) : [])
                .Select(name => name + ErrorSuffix)
            : [ErrorQueue(view, queue)];
        var transport = Transport();
        var found = new List<DeadLetterQueue>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            found.Add(new DeadLetterQueue(name, name[..^ErrorSuffix.Length], await transport.CountAsync(name, cancellationToken).ConfigureAwait(false)));
        }

        return found;
    }

    public Task<IReadOnlyList<DeadLetter>> PeekAsync(OperationsView view, string queue, int limit, CancellationToken cancellationToken)
    {
        var name = ErrorQueue(view, queue);
        return Transport().PeekAsync(name, limit, cancellationToken);
    }

    public Task<DeadLetter?> RedriveOneAsync(OperationsView view, string queue, string? messageId, CancellationToken cancellationToken)
    {
        var name = ErrorQueue(view, queue);
        return Transport().RedriveOneAsync(name, name[..^ErrorSuffix.Length], messageId, cancellationToken);
    }

    private IDeadLetterQueues Transport() => queues
        ?? throw RuntimeException.FailedPrecondition("dead letters can be listed and redriven on the RabbitMq transport only (BusRuntime:Transport); the in-memory bus keeps them in process.");

    private string ErrorQueue(OperationsView view, string queue)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (string.IsNullOrWhiteSpace(queue))
        {
            throw RuntimeException.InvalidArgument("queue is empty; name a subscription queue or its _error queue.");
        }

        var appId = options.Value.AppId;
        var name = queue.EndsWith(ErrorSuffix, StringComparison.Ordinal) ? queue : queue + ErrorSuffix;
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxQueueNameBytes)
        {
            throw RuntimeException.InvalidArgument($"queue {Quoted.Of(queue)} is longer than any queue: a queue's name (with {ErrorSuffix}) is at most {MaxQueueNameBytes} bytes.");
        }

        var source = name[..^ErrorSuffix.Length];
        var owner = Names.AppOfQueue(source);
        if (owner == appId)
        {
            return name;
        }

        if (owner is null && !operated.Contains(source))
        {
            throw RuntimeException.InvalidArgument(
                $"queue {Quoted.Of(queue)} is not a queue of app {Quoted.Of(appId)}; its queues start with '{Names.AppQueuePrefix}{appId}.'{OperatedList(view)}.");
        }

        return view.IsDeployment
            ? name
            : throw RuntimeException.PermissionDenied(
                $"queue {Quoted.Of(queue)} is {(owner is null ? "a workflow queue the deployment shares" : $"a queue of app '{owner}'")}: without the operator token ({OperatorTokenGuard.HeaderName}) "
                + $"the sidecar of app {Quoted.Of(appId)} reaches only its own queues, which start with '{Names.AppQueuePrefix}{appId}.'.");
    }

    private string OperatedList(OperationsView view) =>
        operated.Count == 0 || !view.IsDeployment ? "" : $" or are one of: {string.Join(", ", operated.Order(StringComparer.Ordinal))}";
}
