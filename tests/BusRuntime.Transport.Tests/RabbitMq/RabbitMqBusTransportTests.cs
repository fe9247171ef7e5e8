using BusRuntime.Transport.RabbitMq;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace BusRuntime.Transport.Tests.RabbitMq;

public sealed class RabbitMqBusTransportTests
{
    private static readonly RabbitMqBusTransport Transport = new();

    [Theory]
    [InlineData(Constants.InternalError, ShutdownInitiator.Library)]
    [InlineData(Constants.ConnectionForced, ShutdownInitiator.Peer)]
    public void IsConnectionLost_ConnectionClosedUnderTheSend_IsTrue(ushort replyCode, ShutdownInitiator initiator)
    {
        var closed = new AlreadyClosedException(new ShutdownEventArgs(initiator, replyCode, "Unable to read data from the transport connection"));

        Assert.True(Transport.IsConnectionLost(new InvalidOperationException("send failed", closed)));
    }

    [Fact]
    public void IsConnectionLost_ChannelClosedByItsOwnError_IsFalse()
    {
        var notFound = new OperationInterruptedException(new ShutdownEventArgs(ShutdownInitiator.Peer, Constants.NotFound, "NOT_FOUND - no exchange", 60, 40));

        Assert.False(Transport.IsConnectionLost(notFound));
        Assert.False(Transport.IsConnectionLost(new TimeoutException()));
    }

    [Fact]
    public void IsRefused_BrokerNackedThePublish_IsTrue()
    {
        var nacked = new RabbitMQ.Client.Exceptions.PublishException(7, isReturn: false);

        Assert.True(Transport.IsRefused(new MassTransit.RabbitMqConnectionException("BasicPublishAsync failed", nacked)));
    }

    [Fact]
    public void IsRefused_ReturnedOrLostOrOtherFailure_IsFalse()
    {
        var returned = new RabbitMQ.Client.Exceptions.PublishException(7, isReturn: true);
        var closed = new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Library, Constants.InternalError, "Unable to read data from the transport connection"));

        Assert.False(Transport.IsRefused(new MassTransit.MessageReturnedException("The message was returned by RabbitMQ", returned)));
        Assert.False(Transport.IsRefused(closed));
        Assert.False(Transport.IsRefused(new TimeoutException()));
    }
}
