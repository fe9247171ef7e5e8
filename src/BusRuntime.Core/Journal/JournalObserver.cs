using System.Globalization;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Journal;

/// <summary>
/// Watches the sidecar's bus and records what it sends, publishes and consumes, with the outcome. It only
/// copies what it needs and hands it to <see cref="MessageJournal"/>, which never waits and which redacts and
/// sizes every entry's headers and body before they are stored.
/// </summary>
public sealed class JournalObserver(MessageJournal journal, TimeProvider timeProvider, IOptions<JournalOptions> options, IOptions<RuntimeOptions> runtimeOptions)
    : ISendObserver, IPublishObserver, IReceiveObserver
{
    private const int TypicalHeaderCount = 12;

    private readonly bool enabled = options.Value.Enabled;
    private readonly string appId = runtimeOptions.Value.AppId;
    private readonly PayloadFactory<SendStart> startNow = () => new SendStart(timeProvider.GetUtcNow());

    public Task PreSend<T>(SendContext<T> context) where T : class => Started(context);

    public Task PostSend<T>(SendContext<T> context) where T : class => Outbound(context, JournalOutcome.Sent, null);

    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Outbound(context, JournalOutcome.Faulted, exception);

    public Task PrePublish<T>(PublishContext<T> context) where T : class => Started(context);

    public Task PostPublish<T>(PublishContext<T> context) where T : class => Outbound(context, JournalOutcome.Sent, null);

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Outbound(context, JournalOutcome.Faulted, exception);

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class
    {
        if (enabled)
        {
            journal.Record(Inbound(context, JournalOutcome.Delivered, null), context.Message, context.ReceiveContext.Body.Length ?? 0);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Called once retries have run out. The outcome is known only after the receive: the message is then
    /// dead-lettered, unless moving it to the error queue failed.
    /// </summary>
    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class
    {
        if (enabled)
        {
            var reason = exception is TopicEventDroppedException ? $"the subscriber dropped it: {exception.Message}" : exception.Message;
            var failure = new ConsumeFailure(Inbound(context, JournalOutcome.DeadLettered, reason), context.Message);
            context.ReceiveContext.AddOrUpdatePayload(() => failure, _ => failure);
        }

        return Task.CompletedTask;
    }

    public Task PostReceive(ReceiveContext context)
    {
        if (!enabled)
        {
            return Task.CompletedTask;
        }

        if (context.IsFaulted && context.TryGetPayload<ConsumeFailure>(out var failure))
        {
            journal.Record(failure.Entry with { RecordedAt = timeProvider.GetUtcNow() }, failure.Message, context.Body.Length ?? 0);
        }
        else if (!context.IsDelivered && !context.IsFaulted)
        {
            journal.RecordReceived(Unconsumed(context, JournalOutcome.Dropped, "nothing on this endpoint consumes its message type"), context.Body.GetBytes());
        }

        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        if (enabled)
        {
            if (context.TryGetPayload<ConsumeFailure>(out var failure))
            {
                journal.Record(failure.Entry with { Outcome = JournalOutcome.Faulted, Reason = exception.Message, RecordedAt = timeProvider.GetUtcNow() }, failure.Message, context.Body.Length ?? 0);
            }
            else
            {
                journal.RecordReceived(Unconsumed(context, JournalOutcome.Faulted, exception.Message), context.Body.GetBytes());
            }
        }

        return Task.CompletedTask;
    }

    private Task Started(SendContext context)
    {
        if (enabled)
        {
            context.GetOrAddPayload(startNow);
        }

        return Task.CompletedTask;
    }

    private Task Outbound<T>(SendContext<T> context, JournalOutcome outcome, Exception? exception) where T : class
    {
        if (enabled)
        {
            // A fault is stamped when it happened; a send when it began, so that it precedes the message's delivery.
            var recordedAt = outcome == JournalOutcome.Sent && context.TryGetPayload<SendStart>(out var start) ? start.At : timeProvider.GetUtcNow();
            var (kind, source, topic) = MessageKinds.Describe(context.Message);
            journal.Record(
                new JournalEntry
                {
                    MessageId = context.MessageId?.ToString() ?? "",
                    ConversationId = context.ConversationId?.ToString(),
                    CorrelationId = context.CorrelationId?.ToString(),
                    Kind = kind,
                    SourceAppId = source ?? appId,
                    DestinationAddress = context.DestinationAddress?.ToString(),
                    Topic = topic,
                    Headers = Copy(context.Headers),
                    RecordedAt = recordedAt,
                    Outcome = outcome,
                    Reason = exception?.Message,
                },
                context.Message,
                context.BodyLength ?? 0);
        }

        return Task.CompletedTask;
    }

    private JournalEntry Inbound<T>(ConsumeContext<T> context, JournalOutcome outcome, string? reason) where T : class
    {
        var (kind, source, topic) = MessageKinds.Describe(context.Message);
        return new JournalEntry
        {
            MessageId = context.MessageId?.ToString() ?? "",
            ConversationId = context.ConversationId?.ToString(),
            CorrelationId = context.CorrelationId?.ToString(),
            Kind = kind,
            SourceAppId = source,
            DestinationAddress = context.ReceiveContext.InputAddress?.ToString(),
            Topic = topic,
            Headers = Copy(context.Headers),
            RecordedAt = timeProvider.GetUtcNow(),
            Outcome = outcome,
            Retries = context.ReceiveContext.TryGetPayload<DeliveryAttempt>(out var attempt) ? attempt.Retries : context.GetRetryAttempt(),
            Reason = reason,
        };
    }

    private JournalEntry Unconsumed(ReceiveContext context, JournalOutcome outcome, string reason) => new()
    {
        MessageId = context.GetMessageId()?.ToString() ?? "",
        Kind = "unknown",
        DestinationAddress = context.InputAddress?.ToString(),
        Headers = Copy(context.TransportHeaders),
        RecordedAt = timeProvider.GetUtcNow(),
        Outcome = outcome,
        Reason = reason,
    };

    private static Dictionary<string, string> Copy(Headers headers)
    {
        // Sized for the headers MassTransit puts on a send, so that it need not grow on the way.
        var copy = new Dictionary<string, string>(TypicalHeaderCount, StringComparer.Ordinal);
        foreach (var (key, value) in headers.GetAll())
        {
            copy[key] = value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        }

        return copy;
    }

    private sealed record ConsumeFailure(JournalEntry Entry, object Message);
}
