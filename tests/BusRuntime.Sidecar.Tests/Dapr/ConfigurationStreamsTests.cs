using BusRuntime.Grpc.AppConfiguration;

namespace BusRuntime.Sidecar.Tests.Dapr;

/// <summary>The registry that lets Dapr's UnsubscribeConfiguration end an open SubscribeConfiguration stream.</summary>
public sealed class ConfigurationStreamsTests
{
    [Fact]
    public void Stop_TwiceBeforeTheStreamEnds_OnlyTheFirstEndsIt()
    {
        var streams = new ConfigurationStreams();
        using var registration = streams.Add("configstore", CancellationToken.None);

        var first = streams.Stop("configstore", registration.Id);
        var second = streams.Stop("configstore", registration.Id);

        Assert.True(first);
        Assert.False(second);
        Assert.True(registration.Token.IsCancellationRequested);
        Assert.True(registration.Unsubscribed);
    }

    [Fact]
    public void Stop_OtherStoreOrEndedStream_FalseAndTheStreamGoesOn()
    {
        var streams = new ConfigurationStreams();
        var registration = streams.Add("configstore", CancellationToken.None);

        var otherStore = streams.Stop("other", registration.Id);
        Assert.False(registration.Token.IsCancellationRequested);
        registration.Dispose();
        var ended = streams.Stop("configstore", registration.Id);

        Assert.False(otherStore);
        Assert.False(ended);
        Assert.False(registration.Unsubscribed);
    }
}
