using BusRuntime.Contracts;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Subscriptions;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.DeadLetters;

/// <summary>
/// The dead letters of this sidecar's subscriptions and of its <see cref="OperatedQueue"/>s: MassTransit moves
/// a message whose retries ran out, or that the subscriber dropped, to <c>&lt;queue&gt;_error</c>. Redrive puts
/// it back on its queue.
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

    /// <summary>The named queue (a subscription or operated queue, or its _error queue), else the _error queues of them all.</summary>
    public async Task<IReadOnlyList<DeadLetterQueue>> ListQueuesAsync(string? queue, CancellationToken cancellationToken)
    {
        var transport = Transport();
        var names = string.IsNullOrEmpty(queue)
            ? subscriptions.List().Select(subscription => subscription.Queue).Concat(operated.Order(StringComparer.Ordinal)).Select(name => name + ErrorSuffix)
            : [ErrorQueue(queue)];
        var found = new List<DeadLetterQueue>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            found.Add(new DeadLetterQueue(name, name[..^ErrorSuffix.Length], await transport.CountAsync(name, cancellationToken).ConfigureAwait(false)));
        }

        return found;
    }

    public Task<IReadOnlyList<DeadLetter>> PeekAsync(string queue, int limit, CancellationToken cancellationToken) =>
        Transport().PeekAsync(ErrorQueue(queue), limit, cancellationToken);

    public Task<DeadLetter?> RedriveOneAsync(string queue, string? messageId, CancellationToken cancellationToken)
    {
        var name = ErrorQueue(queue);
        return Transport().RedriveOneAsync(name, name[..^ErrorSuffix.Length], messageId, cancellationToken);
    }

    private IDeadLetterQueues Transport() => queues
        ?? throw RuntimeException.FailedPrecondition("dead letters can be listed and redriven on the RabbitMq transport only (BusRuntime:Transport); the in-memory bus keeps them in process.");

    private string ErrorQueue(string queue)
    {
        if (string.IsNullOrWhiteSpace(queue))
        {
            throw RuntimeException.InvalidArgument("queue is empty; name a subscription queue or its _error queue.");
        }

        var name = queue.EndsWith(ErrorSuffix, StringComparison.Ordinal) ? queue : queue + ErrorSuffix;
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxQueueNameBytes)
        {
            throw RuntimeException.InvalidArgument($"queue {Quoted.Of(queue)} is longer than any queue: a queue's name (with {ErrorSuffix}) is at most {MaxQueueNameBytes} bytes.");
        }

        var prefix = TopicNames.Queue(options.Value.AppId, "", "").TrimEnd('.');
        return name.StartsWith(prefix + ".", StringComparison.Ordinal) || operated.Contains(name[..^ErrorSuffix.Length])
            ? name
            : throw RuntimeException.InvalidArgument(
                $"queue {Quoted.Of(queue)} is not a queue of app '{options.Value.AppId}'; its queues start with '{prefix}.'{OperatedList()}.");
    }

    private string OperatedList() => operated.Count == 0 ? "" : $" or are one of: {string.Join(", ", operated.Order(StringComparer.Ordinal))}";
}
