using System.Collections.Concurrent;

namespace BusRuntime.Grpc.AppConfiguration;

/// <summary>One open Dapr SubscribeConfiguration stream: its id, and the token that ends it.</summary>
public sealed class ConfigurationStreamRegistration : IDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly ConcurrentDictionary<string, ConfigurationStreamRegistration> owner;
    private int disposed;

    internal ConfigurationStreamRegistration(string id, string storeName, CancellationToken callToken, ConcurrentDictionary<string, ConfigurationStreamRegistration> owner)
    {
        Id = id;
        StoreName = storeName;
        this.owner = owner;
        stop = CancellationTokenSource.CreateLinkedTokenSource(callToken);
        Token = stop.Token;
    }

    public string Id { get; }

    public string StoreName { get; }

    public CancellationToken Token { get; }

    /// <summary>Whether UnsubscribeConfiguration (not the caller) ended the stream.</summary>
    public bool Unsubscribed { get; private set; }

    internal bool Stop()
    {
        lock (stop)
        {
            if (disposed == 1)
            {
                return false;
            }

            Unsubscribed = true;
            stop.Cancel();
            return true;
        }
    }

    public void Dispose()
    {
        owner.TryRemove(Id, out _);
        lock (stop)
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                stop.Dispose();
            }
        }
    }
}
