using BusRuntime.Core.Transport;
using BusRuntime.Transport.RabbitMq;
using MassTransit;
using MassTransit.Context;
using Microsoft.Extensions.Time.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace BusRuntime.Core.Tests.Transport;

public sealed class SendInterruptionsTests
{
    private readonly FakeTimeProvider time = new();
    private readonly SendInterruptions interruptions;

    public SendInterruptionsTests()
    {
        interruptions = new SendInterruptions(new RabbitMqBusTransport(quorumQueues: true), time);
    }

    [Fact]
    public async Task SendFault_BrokerRefusedTheMessage_InterruptsAsRefused()
    {
        var (context, watch) = await SentAsync();

        await interruptions.SendFault(context, new RabbitMqConnectionException("BasicPublishAsync failed", new RabbitMQ.Client.Exceptions.PublishException(3, isReturn: false)));

        await WaitForAsync(watch);
        Assert.Equal(SendInterruption.Refused, watch.Interruption);
        Assert.True(watch.ReachedTransport);
    }

    [Fact]
    public async Task SendFault_ConnectionLostUnderTheSend_InterruptsAsConnectionLost()
    {
        var (context, watch) = await SentAsync();

        await interruptions.SendFault(context, new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Library, Constants.InternalError, "Unable to read data from the transport connection")));

        await WaitForAsync(watch);
        Assert.Equal(SendInterruption.ConnectionLost, watch.Interruption);
    }

    [Fact]
    public async Task SendFault_MessageReturned_DoesNotInterrupt()
    {
        var (context, watch) = await SentAsync();

        await interruptions.SendFault(context, new MessageReturnedException("The message was returned by RabbitMQ", new RabbitMQ.Client.Exceptions.PublishException(3, isReturn: true)));

        Assert.False(watch.Token.IsCancellationRequested);
        Assert.Equal(SendInterruption.None, watch.Interruption);
    }

    [Fact]
    public async Task Watch_SendNotOnTheChannelWithinTheStallLimit_InterruptsAsStalled()
    {
        using var watch = interruptions.Watch(NewId.NextGuid());

        time.Advance(SendInterruptions.StallLimit - TimeSpan.FromMilliseconds(1));
        Assert.False(watch.Token.IsCancellationRequested);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await WaitForAsync(watch);
        Assert.Equal(SendInterruption.Stalled, watch.Interruption);
        Assert.False(watch.ReachedTransport);
    }

    [Fact]
    public async Task Watch_SendReachedTheChannel_StallLimitNoLongerApplies()
    {
        var (_, watch) = await SentAsync();

        time.Advance(SendInterruptions.StallLimit * 10);

        Assert.False(watch.Token.IsCancellationRequested);
        Assert.Equal(SendInterruption.None, watch.Interruption);
    }

    [Fact]
    public async Task ConnectionLost_InterruptsEverySendInFlightOnceAndCountsThem()
    {
        var (_, sent) = await SentAsync();
        using var waiting = interruptions.Watch(NewId.NextGuid());
        var (_, ended) = await SentAsync();
        ended.Dispose();

        Assert.Equal(2, interruptions.ConnectionLost());
        Assert.Equal(0, interruptions.ConnectionLost());

        await WaitForAsync(sent);
        await WaitForAsync(waiting);
        Assert.Equal(SendInterruption.ConnectionLost, sent.Interruption);
        Assert.True(sent.ReachedTransport);
        Assert.Equal(SendInterruption.ConnectionLost, waiting.Interruption);
        Assert.False(waiting.ReachedTransport);
        Assert.Equal(SendInterruption.None, ended.Interruption);
    }

    [Fact]
    public async Task SendFault_AfterTheWatchWasDisposed_IsIgnored()
    {
        var (context, watch) = await SentAsync();
        watch.Dispose();

        await interruptions.SendFault(context, new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Library, Constants.InternalError, "gone")));

        Assert.Equal(SendInterruption.None, watch.Interruption);
    }

    private async Task<(SendContext<string> Context, SendWatch Watch)> SentAsync()
    {
        var messageId = NewId.NextGuid();
        var watch = interruptions.Watch(messageId);
        var context = new MessageSendContext<string>("event") { MessageId = messageId };
        await interruptions.PreSend(context);
        return (context, watch);
    }

    // The token is cancelled off the send path (CancelAsync), so it may complete just after SendFault returns.
    private static async Task WaitForAsync(SendWatch watch)
    {
        var cancelled = new TaskCompletionSource();
        await using var registration = watch.Token.Register(() => cancelled.TrySetResult());
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(watch.Token.IsCancellationRequested);
    }
}
