using BusRuntime.Core.Transport;
using BusRuntime.Transport.RabbitMq;
using MassTransit;
using MassTransit.Context;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace BusRuntime.Core.Tests.Transport;

public sealed class SendInterruptionsTests
{
    private readonly SendInterruptions interruptions = new(new RabbitMqBusTransport(quorumQueues: true));

    [Fact]
    public async Task SendFault_BrokerRefusedTheMessage_CancelsOnlyRefused()
    {
        var (context, lost, refused) = Watched();

        await interruptions.SendFault(context, new RabbitMqConnectionException("BasicPublishAsync failed", new RabbitMQ.Client.Exceptions.PublishException(3, isReturn: false)));

        await WaitForAsync(refused);
        Assert.False(lost.IsCancellationRequested);
    }

    [Fact]
    public async Task SendFault_ConnectionLostUnderTheSend_CancelsOnlyLost()
    {
        var (context, lost, refused) = Watched();

        await interruptions.SendFault(context, new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Library, Constants.InternalError, "Unable to read data from the transport connection")));

        await WaitForAsync(lost);
        Assert.False(refused.IsCancellationRequested);
    }

    [Fact]
    public async Task SendFault_MessageReturned_CancelsNeither()
    {
        var (context, lost, refused) = Watched();

        await interruptions.SendFault(context, new MessageReturnedException("The message was returned by RabbitMQ", new RabbitMQ.Client.Exceptions.PublishException(3, isReturn: true)));

        Assert.False(lost.IsCancellationRequested);
        Assert.False(refused.IsCancellationRequested);
    }

    private (SendContext<string> Context, CancellationTokenSource Lost, CancellationTokenSource Refused) Watched()
    {
        var messageId = NewId.NextGuid();
        var lost = new CancellationTokenSource();
        var refused = new CancellationTokenSource();
        interruptions.Watch(messageId, lost, refused);
        return (new MessageSendContext<string>("event") { MessageId = messageId }, lost, refused);
    }

    // The source is cancelled off the send path (CancelAsync), so it may complete just after SendFault returns.
    private static async Task WaitForAsync(CancellationTokenSource source)
    {
        var cancelled = new TaskCompletionSource();
        await using var registration = source.Token.Register(() => cancelled.TrySetResult());
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(source.IsCancellationRequested);
    }
}
