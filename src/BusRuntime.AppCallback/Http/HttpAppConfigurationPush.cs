using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.AppCallback.Http;

/// <summary>
/// Dapr's HTTP configuration subscribe for an HTTP app: each subscription follows a configuration watch (the one the gRPC
/// SubscribeConfiguration uses) and, as daprd does, POSTs every change to the app once per changed key, at
/// <c>/configuration/&lt;store&gt;/&lt;key&gt;</c>, with the update as JSON (<c>{"id", "items": {key: {value, version, metadata}}}</c>;
/// a deleted item has an empty value and metadata <c>deleted: "true"</c>, as the gRPC stream shows it). An answer other than
/// 200 is logged, not retried, as in daprd. At most <see cref="MaxSubscriptions"/> subscriptions per sidecar.
/// </summary>
public sealed class HttpAppConfigurationPush(
    AppConfigurationManager configuration,
    IHttpClientFactory clients,
    IOptions<AppChannelOptions> options,
    ILogger<HttpAppConfigurationPush> logger) : IAppConfigurationPush, IAsyncDisposable
{
    /// <summary>The most configuration subscriptions one sidecar pushes to its app.</summary>
    public const int MaxSubscriptions = 100;

    private readonly ConcurrentDictionary<(string StoreName, string Id), Pushing> pushing = new();
    private readonly CancellationTokenSource stopping = new();

    public async Task<string> SubscribeAsync(ConfigurationSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (options.Value.AppPort == 0 || !options.Value.IsHttpApp)
        {
            throw RuntimeException.FailedPrecondition(
                "app channel is not initialized: configuration subscribe over HTTP pushes changes to an HTTP app (--app-port with --app-protocol http).");
        }

        if (pushing.Count >= MaxSubscriptions)
        {
            throw RuntimeException.ResourceExhausted($"this sidecar already pushes {MaxSubscriptions} configuration subscriptions, the most it allows; unsubscribe one first.");
        }

        var watch = await configuration.SubscribeAsync(subscription, cancellationToken).ConfigureAwait(false);
        var id = Guid.NewGuid().ToString();
        var entry = new Pushing(watch, stopping.Token);
        pushing[(subscription.StoreName, id)] = entry;
        entry.Loop = PushAsync(subscription.StoreName, id, entry);
        return id;
    }

    public bool Unsubscribe(string storeName, string id)
    {
        if (!pushing.TryRemove((storeName, id), out var entry))
        {
            return false;
        }

        try
        {
            entry.Stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Its push already ended: the sidecar is stopping.
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(pushing.Values.Select(entry => entry.Loop ?? Task.CompletedTask)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        pushing.Clear();
        stopping.Dispose();
    }

    private async Task PushAsync(string storeName, string id, Pushing entry)
    {
        var client = clients.CreateClient(HttpAppClient.Name);
        try
        {
            await foreach (var items in entry.Watch.ReadAllAsync(entry.Stop.Token).ConfigureAwait(false))
            {
                if (items.Count == 0)
                {
                    continue;
                }

                var update = Update(id, items);
                foreach (var item in items)
                {
                    await PostAsync(client, storeName, item.Key, update, entry.Stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (entry.Stop.IsCancellationRequested)
        {
            // Unsubscribed, or the sidecar stops.
        }
        finally
        {
            entry.Release();
        }
    }

    private async Task PostAsync(HttpClient client, string storeName, string key, byte[] update, CancellationToken cancellationToken)
    {
        var path = $"/configuration/{Uri.EscapeDataString(storeName)}/{Uri.EscapeDataString(key)}";
        try
        {
            using var content = new ByteArrayContent(update) { Headers = { ContentType = new("application/json") } };
            using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
            if ((int)response.StatusCode != 200)
            {
                Log.ConfigurationPushFailed(logger, path, $"status {(int)response.StatusCode}");
            }
        }
        catch (HttpRequestException exception)
        {
            Log.ConfigurationPushFailed(logger, path, exception.Message);
        }
    }

    private static byte[] Update(string id, IReadOnlyList<StoredConfigurationItem> items)
    {
        var body = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["id"] = id,
            ["items"] = items.ToDictionary(
                item => item.Key,
                item =>
                {
                    var metadata = new Dictionary<string, string>(item.Metadata, StringComparer.Ordinal);
                    if (item.IsDeleted)
                    {
                        metadata["deleted"] = "true";
                    }

                    return new Dictionary<string, object>(StringComparer.Ordinal)
                    {
                        ["value"] = item.Content ?? "",
                        ["version"] = item.Version.ToString(CultureInfo.InvariantCulture),
                        ["metadata"] = metadata,
                    };
                },
                StringComparer.Ordinal),
        };
        return JsonSerializer.SerializeToUtf8Bytes(body);
    }

    /// <summary>One subscription being pushed: its watch, and what stops it (unsubscribe, or the sidecar stopping).</summary>
    private sealed class Pushing(ConfigurationWatch watch, CancellationToken stopping)
    {
        public ConfigurationWatch Watch => watch;

        public CancellationTokenSource Stop { get; } = CancellationTokenSource.CreateLinkedTokenSource(stopping);

        public Task? Loop { get; set; }

        public void Release()
        {
            watch.Dispose();
            Stop.Dispose();
        }
    }
}
