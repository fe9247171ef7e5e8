using System.Collections.Concurrent;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Grpc.Core;

namespace BusRuntime.IntegrationTests;

/// <summary>An app following configuration items through one SubscribeConfiguration stream, recording every item it is sent, in order.</summary>
internal sealed class ConfigurationSubscriber : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<SubscribeConfigurationRequest, SubscribeConfigurationResponse> call;
    private readonly CancellationTokenSource stop = new();
    private readonly Task reading;

    private ConfigurationSubscriber(AsyncDuplexStreamingCall<SubscribeConfigurationRequest, SubscribeConfigurationResponse> call, IReadOnlyList<ConfigurationItem> initial)
    {
        this.call = call;
        Initial = initial;
        reading = Task.Run(ReadAsync);
    }

    /// <summary>The items of the first response: the values current when the stream opened.</summary>
    public IReadOnlyList<ConfigurationItem> Initial { get; }

    /// <summary>Every item of every later response, in arrival order.</summary>
    public ConcurrentQueue<ConfigurationItem> Changes { get; } = new();

    /// <summary>Opens the stream and returns once the first response (the current values) arrived.</summary>
    public static async Task<ConfigurationSubscriber> OpenAsync(TestSidecar sidecar, string appId, params string[] keys)
    {
        var call = sidecar.Runtime.SubscribeConfiguration();
        await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = "configstore", AppId = appId, Keys = { keys } });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        if (!await call.ResponseStream.MoveNext(timeout.Token))
        {
            call.Dispose();
            throw new InvalidOperationException("The sidecar ended the configuration stream before its first response.");
        }

        return new ConfigurationSubscriber(call, [.. call.ResponseStream.Current.Items]);
    }

    /// <summary>The item as the subscriber knows it now (its last change, else its initial value), or null.</summary>
    public ConfigurationItem? Latest(string key) =>
        Changes.LastOrDefault(item => item.Key == key) ?? Initial.FirstOrDefault(item => item.Key == key);

    /// <summary>Waits until the subscriber knows <paramref name="key"/> at <paramref name="version"/> or later.</summary>
    public Task WaitForVersionAsync(string key, long version, TimeSpan timeout) =>
        Poll.UntilAsync(() => Latest(key) is { } item && item.Version >= version, timeout, () => $"the subscriber knows '{key}' at version {Latest(key)?.Version}, not {version}");

    /// <summary>Ends the stream; rethrows a failure of the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await reading;
        }
        finally
        {
            call.Dispose();
            stop.Dispose();
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await call.ResponseStream.MoveNext(stop.Token))
            {
                foreach (var item in call.ResponseStream.Current.Items)
                {
                    Changes.Enqueue(item);
                }
            }
        }
        catch (Exception exception) when (stop.IsCancellationRequested && exception is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Disposed: the test is done with this stream.
        }
    }
}
