using System.Net;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using BusRuntime.Protos.Dapr.Runtime.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace BusRuntime.AppCallback.Bindings;

/// <summary>
/// Input binding events to the app as daprd sends them. A gRPC app is asked ListInputBindings once (an app that does
/// not implement it takes none) and gets each event through OnBindingEvent: OK takes it, any error status does not.
/// An HTTP app (<see cref="AppChannelOptions.IsHttpApp"/>) is probed with <c>OPTIONS /{route}</c> (a 2xx or 405 says it
/// takes the binding) and gets each event as <c>POST /{route}</c> with the data as the body (application/json) and the
/// metadata as headers (those a header can carry): a 2xx takes it, any other status does not. Each call is bounded by <see cref="CallTimeout"/>.
/// </summary>
public sealed class AppInputBindingChannel(AppChannel app, IHttpClientFactory httpClients, IOptions<AppChannelOptions> options) : IInputBindingApp
{
    /// <summary>The name of the HttpClient that calls an HTTP app, whose base address is the app's.</summary>
    public const string HttpClientName = "busruntime-input-bindings";

    /// <summary>How long the app may take over one event or probe.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim listing = new(1, 1);
    private HashSet<string>? listed;

    public async Task<bool> TakesAsync(string binding, string route, CancellationToken cancellationToken)
    {
        if (options.Value.IsHttpApp)
        {
            using var probe = new HttpRequestMessage(HttpMethod.Options, new Uri("/" + route, UriKind.Relative));
            using var response = await SendAsync(probe, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.MethodNotAllowed;
        }

        return (await ListedAsync(cancellationToken).ConfigureAwait(false)).Contains(binding);
    }

    public async Task<bool> DeliverAsync(string binding, string route, InputBindingEvent bindingEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bindingEvent);
        if (options.Value.IsHttpApp)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/" + route, UriKind.Relative))
            {
                Content = new ReadOnlyMemoryContent(bindingEvent.Data),
            };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            // An entry a header cannot carry (a line break, a name that is not a token) is left out rather than failing the event.
            foreach (var (key, value) in bindingEvent.Metadata.Where(entry => IsHeader(entry.Key, entry.Value)))
            {
                request.Headers.TryAddWithoutValidation(key, value);
            }

            using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }

        var message = new BindingEventRequest { Name = binding, Data = ByteString.CopyFrom(bindingEvent.Data.Span) };
        foreach (var (key, value) in bindingEvent.Metadata)
        {
            message.Metadata[key] = value;
        }

        try
        {
            await app.Client.OnBindingEventAsync(message, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static bool IsHeader(string name, string value) =>
        name.Length is > 0 and <= 256
        && name.All(character => char.IsAsciiLetterOrDigit(character) || "!#$%&'*+-.^_`|~".Contains(character, StringComparison.Ordinal))
        && value.All(character => character is '\t' or (>= ' ' and <= '~'));

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        var client = httpClients.CreateClient(HttpClientName);
        return await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>The bindings the app listed, asked once; a failure to reach the app throws, so the caller asks again.</summary>
    private async Task<HashSet<string>> ListedAsync(CancellationToken cancellationToken)
    {
        await listing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (listed is null)
            {
                try
                {
                    var response = await app.Client.ListInputBindingsAsync(new Empty(), deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
                    listed = [.. response.Bindings];
                }
                catch (RpcException exception) when (exception.StatusCode == StatusCode.Unimplemented)
                {
                    listed = [];
                }
            }

            return listed;
        }
        finally
        {
            listing.Release();
        }
    }
}
