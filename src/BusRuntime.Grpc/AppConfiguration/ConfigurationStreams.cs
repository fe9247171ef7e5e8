using System.Collections.Concurrent;

namespace BusRuntime.Grpc.AppConfiguration;

/// <summary>The open Dapr SubscribeConfiguration streams by their id, so that UnsubscribeConfiguration can end one.</summary>
public sealed class ConfigurationStreams
{
    private readonly ConcurrentDictionary<string, ConfigurationStreamRegistration> streams = new(StringComparer.Ordinal);

    /// <summary>Registers a stream under a new id; its token is cancelled by <see cref="Stop"/> or by <paramref name="callToken"/>. Dispose it when the stream ends.</summary>
    public ConfigurationStreamRegistration Add(string storeName, CancellationToken callToken)
    {
        var registration = new ConfigurationStreamRegistration(Guid.NewGuid().ToString("N"), storeName, callToken, streams);
        streams[registration.Id] = registration;
        return registration;
    }

    /// <summary>Ends the stream with this id; false when no such stream is open on this store.</summary>
    /// <remarks>The stream leaves the registry here, not when its call ends, so a second Stop for the same id is false even while the call is still finishing.</remarks>
    public bool Stop(string storeName, string id) =>
        streams.TryGetValue(id, out var stream)
        && stream.StoreName == storeName
        && streams.TryRemove(new KeyValuePair<string, ConfigurationStreamRegistration>(id, stream))
        && stream.Stop();
}
