using System.Runtime.CompilerServices;
using System.Threading.Channels;
using BusRuntime.Contracts;
using BusRuntime.Core.Resilience;
using BusRuntime.Core.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.DependencyInjection;
using Polly.Retry;

namespace BusRuntime.Core.AppConfiguration;

/// <summary>
/// One SubscribeConfiguration stream: the changes to its items, in the order the stream may see them. Its
/// first update is every current item; then each change follows, unless the stream was already sent that
/// item at the same or a newer version (events of concurrent writers may arrive out of order), so a
/// stream never sees an older value after a newer one. When asked to (the bus reconnected, or more
/// changes came than it holds) it reads the store again and sends what it missed, deletes included, trying
/// again until that read works (<see cref="ResiliencePipelines.ConfigurationReread"/> of its store).
/// </summary>
public sealed class ConfigurationWatch : IDisposable
{
    /// <summary>Changes held for a stream that is slower than they come; beyond that the watch reads the store again instead.</summary>
    public const int Capacity = 1024;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetryDelay = TimeSpan.FromSeconds(30);

    // Whose items the read was for, for the log of a failed read.
    private static readonly ResiliencePropertyKey<string> AppId = new("busruntime.configuration.app-id");

    // A null entry only wakes the reader up to read the store again.
    private readonly Channel<ConfigurationChanged?> pending =
        Channel.CreateBounded<ConfigurationChanged?>(new BoundedChannelOptions(Capacity) { SingleReader = true });

    // What the stream was last sent of each key: the version, and whether it was a delete.
    private readonly Dictionary<string, (long Version, bool Deleted)> sent = new(StringComparer.Ordinal);
    private readonly NamedStore<IConfigurationStore> store;
    private readonly HashSet<string> keys;
    private readonly Action<ConfigurationWatch> remove;
    private readonly ResiliencePipeline reread;
    private int rereadRequested;

    internal ConfigurationWatch(
        NamedStore<IConfigurationStore> store, ConfigurationSubscription subscription, Action<ConfigurationWatch> remove, ResiliencePipeline reread)
    {
        this.store = store;
        this.remove = remove;
        this.reread = reread;
        Subscription = subscription;
        keys = new HashSet<string>(subscription.Keys, StringComparer.Ordinal);
    }

    /// <summary>What the stream follows, its group and label filled in.</summary>
    public ConfigurationSubscription Subscription { get; }

    /// <summary>
    /// The updates to send, in order; the first is every current item (possibly none). Items whose
    /// <see cref="StoredConfigurationItem.IsDeleted"/> is true were deleted. Fails when the first read of
    /// the store does; later reads are tried again until they succeed.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<StoredConfigurationItem>> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var current = await ReadStoreAsync(cancellationToken).ConfigureAwait(false);
        foreach (var item in current)
        {
            sent[item.Key] = (item.Version, item.IsDeleted);
        }

        yield return [.. current.Where(item => !item.IsDeleted)];

        while (await pending.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (pending.Reader.TryRead(out var change))
            {
                if (change is not null && ToItem(change) is var item && Take(item))
                {
                    yield return [item];
                }
            }

            if (Interlocked.Exchange(ref rereadRequested, 0) == 1)
            {
                var missed = await RereadAsync(cancellationToken).ConfigureAwait(false);
                if (missed.Count > 0)
                {
                    yield return missed;
                }
            }
        }
    }

    /// <summary>Stops the watch: it gets no more changes.</summary>
    public void Dispose()
    {
        remove(this);
        pending.Writer.TryComplete();
    }

    internal bool Follows(ConfigurationChanged change, bool fromThisSidecar) =>
        change.StoreName == store.Name
        && (fromThisSidecar || store.Store.IsShared)
        && change.AppId == Subscription.AppId
        && change.Group == Subscription.Group
        && change.Label == Subscription.Label
        && (keys.Count == 0 || keys.Contains(change.Key));

    internal void Offer(ConfigurationChanged change)
    {
        if (!pending.Writer.TryWrite(change))
        {
            // The stream is far behind: rather than hold more, read the store again once it caught up.
            RequestReread();
        }
    }

    internal void RequestReread()
    {
        Interlocked.Exchange(ref rereadRequested, 1);
        pending.Writer.TryWrite(null);
    }

    private Task<IReadOnlyList<StoredConfigurationItem>> ReadStoreAsync(CancellationToken cancellationToken) =>
        store.Store.GetAsync(Subscription.AppId, Subscription.Group, Subscription.Label, Subscription.Keys, true, cancellationToken);

    private async Task<List<StoredConfigurationItem>> RereadAsync(CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(AppId, Subscription.AppId);
        try
        {
            var current = await reread.ExecuteAsync(
                static async (attempt, watch) => await watch.ReadStoreAsync(attempt.CancellationToken).ConfigureAwait(false),
                context,
                this).ConfigureAwait(false);
            return [.. current.Where(Take)];
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// The retry of a read of the store in the context's key: any failure but the stream's end, with backoff
    /// from <see cref="FirstRetryDelay"/> to <see cref="LastRetryDelay"/>, until it works.
    /// </summary>
    internal static void ConfigureReread(ResiliencePipelineBuilder builder, AddResiliencePipelineContext<ResiliencePipelineKey> context)
    {
        var storeName = context.PipelineKey.Target;
        var logger = context.ServiceProvider.GetRequiredService<ILogger<ConfigurationSubscriptions>>();
        builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = FirstRetryDelay,
            MaxDelay = LastRetryDelay,
            ShouldHandle = arguments => ValueTask.FromResult(
                arguments.Outcome.Exception is { } exception
                && (exception is not OperationCanceledException || !arguments.Context.CancellationToken.IsCancellationRequested)),
            OnRetry = retry =>
            {
                Log.RereadFailed(logger, storeName, retry.Context.Properties.GetValue(AppId, ""), retry.RetryDelay, retry.Outcome.Exception!);
                return ValueTask.CompletedTask;
            },
        });
    }

    /// <summary>Whether the stream should be sent this item, recording that it was: a newer version, and no delete of an item it does not have.</summary>
    private bool Take(StoredConfigurationItem item)
    {
        var known = sent.TryGetValue(item.Key, out var last);
        if (known && item.Version <= last.Version)
        {
            return false;
        }

        sent[item.Key] = (item.Version, item.IsDeleted);
        return !item.IsDeleted || (known && !last.Deleted);
    }

    private static StoredConfigurationItem ToItem(ConfigurationChanged change) =>
        new(change.Group, change.Label, change.Key, change.Deleted ? null : change.Content ?? "", change.Tags, change.Metadata, change.Version);
}
