using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using DaprV1 = BusRuntime.Protos.Dapr.Runtime.V1;
using LayottoV1 = BusRuntime.Protos.Layotto.Runtime.V1;
using V1 = BusRuntime.Protos.V1;

namespace BusRuntime.Grpc.AppConfiguration;

/// <summary>App configuration on every gRPC API: each call mapped onto <see cref="AppConfigurationManager"/>.</summary>
public sealed class ConfigurationRpcs(
    AppConfigurationManager configuration,
    ConfigurationStreams configurationStreams,
    IOptions<RuntimeOptions> runtimeOptions)
{
    /// <summary>The requests one Layotto SubscribeConfiguration stream may carry, each a subscription of its own.</summary>
    public const int MaxLayottoSubscriptionsPerStream = 64;

    private static readonly Empty Done = new();
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    public async Task<V1.GetConfigurationResponse> GetConfiguration(V1.GetConfigurationRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var items = await configuration.GetAsync(
            request.StoreName, request.AppId, request.Group, request.Label, request.Keys, request.Tags.AsReadOnly(), context.CancellationToken).ConfigureAwait(false);
        var response = new V1.GetConfigurationResponse();
        response.Items.AddRange(items.Select(ConfigurationMapping.ToWire));
        return response;
    }

    public async Task<DaprV1.GetConfigurationResponse> GetConfiguration(DaprV1.GetConfigurationRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = request.Metadata.AsReadOnly();
        var items = await configuration.GetAsync(
            request.StoreName,
            runtimeOptions.Value.AppId,
            DaprConfigurationMapping.GroupOf(metadata),
            DaprConfigurationMapping.LabelOf(metadata),
            request.Keys,
            NoTags,
            context.CancellationToken).ConfigureAwait(false);
        var response = new DaprV1.GetConfigurationResponse();
        DaprConfigurationMapping.AddItems(response.Items, items);
        return response;
    }

    public async Task<Empty> SaveConfiguration(V1.SaveConfigurationRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await configuration.SaveAsync(request.StoreName, request.AppId, [.. request.Items.Select(ConfigurationMapping.ToItem)], context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public async Task<Empty> DeleteConfiguration(V1.DeleteConfigurationRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await configuration.DeleteAsync(request.StoreName, request.AppId, request.Group, request.Label, request.Keys, context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public async Task SubscribeConfiguration(
        IAsyncStreamReader<V1.SubscribeConfigurationRequest> requestStream,
        IServerStreamWriter<V1.SubscribeConfigurationResponse> responseStream,
        ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var request = requestStream.Current;
        using var watch = await configuration.SubscribeAsync(ConfigurationMapping.ToSubscription(request), cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = WriteConfigurationAsync(watch, request, responseStream, stop.Token, cancellationToken);
        var reading = RefuseFurtherRequestsAsync(requestStream, stop.Token);
        try
        {
            var first = await Task.WhenAny(writing, reading).ConfigureAwait(false);
            await first.ConfigureAwait(false);
            // The client said all it had to say: keep streaming until it goes away.
            await writing.ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(writing, reading).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async Task SubscribeConfiguration(
        DaprV1.SubscribeConfigurationRequest request, IServerStreamWriter<DaprV1.SubscribeConfigurationResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = request.Metadata.AsReadOnly();
        var subscription = new ConfigurationSubscription(
            request.StoreName, runtimeOptions.Value.AppId, DaprConfigurationMapping.GroupOf(metadata), DaprConfigurationMapping.LabelOf(metadata), [.. request.Keys]);
        using var watch = await configuration.SubscribeAsync(subscription, context.CancellationToken).ConfigureAwait(false);
        using var registration = configurationStreams.Add(request.StoreName, context.CancellationToken);

        // As Dapr does: the first message carries only the id that UnsubscribeConfiguration takes.
        await responseStream.WriteAsync(new DaprV1.SubscribeConfigurationResponse { Id = registration.Id }, context.CancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (var items in watch.ReadAllAsync(registration.Token).ConfigureAwait(false))
            {
                if (items.Count == 0)
                {
                    continue;
                }

                var response = new DaprV1.SubscribeConfigurationResponse { Id = registration.Id };
                DaprConfigurationMapping.AddItems(response.Items, items);
                // With the call's token, not the registration's: an unsubscribe during a write would reset the stream.
                await responseStream.WriteAsync(response, context.CancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (registration.Unsubscribed && !context.CancellationToken.IsCancellationRequested)
        {
            // UnsubscribeConfiguration ended the stream: it completes with OK, as in Dapr.
        }
    }

    public Task<DaprV1.UnsubscribeConfigurationResponse> UnsubscribeConfiguration(DaprV1.UnsubscribeConfigurationRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Id))
        {
            throw RuntimeException.InvalidArgument("id is empty; pass the id the first SubscribeConfiguration response carried.");
        }

        // As in Dapr, an unknown id is an answer (ok false), not an error.
        return Task.FromResult(configurationStreams.Stop(request.StoreName, request.Id)
            ? new DaprV1.UnsubscribeConfigurationResponse { Ok = true }
            : new DaprV1.UnsubscribeConfigurationResponse { Ok = false, Message = $"no SubscribeConfiguration stream with id {Quoted.Of(request.Id)} is open on configuration store {Quoted.Of(request.StoreName)}." });
    }

    /// <summary>Layotto's GetConfiguration: an empty app_id is the sidecar's own app; subscribe_update is not read, as in Layotto.</summary>
    public async Task<LayottoV1.GetConfigurationResponse> GetConfiguration(LayottoV1.GetConfigurationRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var items = await configuration.GetAsync(
            request.StoreName, request.AppId, request.Group, request.Label, request.Keys, NoTags, context.CancellationToken).ConfigureAwait(false);
        var response = new LayottoV1.GetConfigurationResponse();
        response.Items.AddRange(items.Where(item => !item.IsDeleted).Select(LayottoConfigurationMapping.ToWire));
        return response;
    }

    /// <summary>Layotto's SaveConfiguration: the items with content are saved, then those with empty content deleted.</summary>
    public async Task<Empty> SaveConfiguration(LayottoV1.SaveConfigurationRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var saves = request.Items.Where(item => !LayottoConfigurationMapping.IsDelete(item)).Select(LayottoConfigurationMapping.ToItem).ToList();
        if (saves.Count > 0)
        {
            await configuration.SaveAsync(request.StoreName, request.AppId, saves, context.CancellationToken).ConfigureAwait(false);
        }

        foreach (var deletes in request.Items.Where(LayottoConfigurationMapping.IsDelete).GroupBy(item => (item.Group, item.Label)))
        {
            await configuration.DeleteAsync(
                request.StoreName, request.AppId, deletes.Key.Group, deletes.Key.Label, [.. deletes.Select(item => item.Key)], context.CancellationToken).ConfigureAwait(false);
        }

        return Done;
    }

    public async Task<Empty> DeleteConfiguration(LayottoV1.DeleteConfigurationRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await configuration.DeleteAsync(request.StoreName, request.AppId, request.Group, request.Label, request.Keys, context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    /// <summary>
    /// Layotto's SubscribeConfiguration: every request on the stream adds a subscription (up to
    /// <see cref="MaxLayottoSubscriptionsPerStream"/>), and the changes of all of them come back on the one stream,
    /// each response naming its store and app. It ends when the client ends it; a bad request ends it with its error.
    /// </summary>
    public async Task SubscribeConfiguration(
        IAsyncStreamReader<LayottoV1.SubscribeConfigurationRequest> requestStream,
        IServerStreamWriter<LayottoV1.SubscribeConfigurationResponse> responseStream,
        ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.CancellationToken;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stream = new LayottoConfigurationStream(responseStream, stop.Token, cancellationToken);
        var reading = AddLayottoSubscriptionsAsync(requestStream, stream, stop.Token);
        try
        {
            await (await Task.WhenAny(reading, stream.Failed).ConfigureAwait(false)).ConfigureAwait(false);
            if (stream.Count > 0)
            {
                // The client said all it had to say: keep streaming until it goes away.
                await stream.Failed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task AddLayottoSubscriptionsAsync(
        IAsyncStreamReader<LayottoV1.SubscribeConfigurationRequest> requestStream, LayottoConfigurationStream stream, CancellationToken stop)
    {
        while (await requestStream.MoveNext(stop).ConfigureAwait(false))
        {
            if (stream.Count == MaxLayottoSubscriptionsPerStream)
            {
                throw RuntimeException.InvalidArgument(
                    $"a SubscribeConfiguration stream carries at most {MaxLayottoSubscriptionsPerStream} requests; open another stream to follow more items.");
            }

            var request = requestStream.Current;
            stream.Add(request.StoreName, await configuration.SubscribeAsync(LayottoConfigurationMapping.ToSubscription(request), stop).ConfigureAwait(false));
        }
    }

    /// <summary>
    /// Streams the watch's changes until <paramref name="stop"/>. A write is cancelled only with the call
    /// (<paramref name="callCancelled"/>): gRPC resets the whole stream (CANCEL) when a write in progress is
    /// cancelled, which would hide the status the call ends with.
    /// </summary>
    private static async Task WriteConfigurationAsync(
        ConfigurationWatch watch,
        V1.SubscribeConfigurationRequest request,
        IServerStreamWriter<V1.SubscribeConfigurationResponse> responseStream,
        CancellationToken stop,
        CancellationToken callCancelled)
    {
        await foreach (var items in watch.ReadAllAsync(stop).ConfigureAwait(false))
        {
            var response = new V1.SubscribeConfigurationResponse { StoreName = request.StoreName, AppId = watch.Subscription.AppId };
            response.Items.AddRange(items.Select(ConfigurationMapping.ToWire));
            await responseStream.WriteAsync(response, callCancelled).ConfigureAwait(false);
        }
    }

    private static async Task RefuseFurtherRequestsAsync(IAsyncStreamReader<V1.SubscribeConfigurationRequest> requestStream, CancellationToken cancellationToken)
    {
        if (await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            throw RuntimeException.InvalidArgument("SubscribeConfiguration takes one request per stream; open another stream to follow other items.");
        }
    }
}
