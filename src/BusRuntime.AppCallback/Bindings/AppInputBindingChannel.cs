using System.Net;
using System.Text.Json;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using BusRuntime.Protos.Dapr.Runtime.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.AppCallback.Bindings;

/// <summary>
/// Input binding events to the app as daprd sends them. A gRPC app is asked ListInputBindings once (an app that does
/// not implement it takes none) and gets each event through OnBindingEvent: OK takes it, any error status does not.
/// An HTTP app (<see cref="AppChannelOptions.IsHttpApp"/>) is probed with <c>OPTIONS /{route}</c> (a 2xx or 405 says it
/// takes the binding) and gets each event as <c>POST /{route}</c> with the data as the body (application/json) and the
/// metadata as headers (those a header can carry): a 2xx takes it, any other status does not. Each call is bounded by <see cref="CallTimeout"/>.
/// As daprd, a gRPC app's answer may send data on: its <c>data</c> goes to each output binding in <c>to</c> (at most
/// <see cref="MaxTargets"/>) with operation <c>create</c>, one after the other (stopping at the first failure) or all at
/// once; a failure there is logged and does not undo the event's taking.
/// </summary>
public sealed class AppInputBindingChannel(
    AppChannel app, IHttpClientFactory httpClients, BindingInvoker outputs, IOptions<AppChannelOptions> options, ILogger<AppInputBindingChannel> logger) : IInputBindingApp
{
    /// <summary>The name of the HttpClient that calls an HTTP app, whose base address is the app's.</summary>
    public const string HttpClientName = "busruntime-input-bindings";

    /// <summary>How long the app may take over one event or probe.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The most output bindings one answer may send data to.</summary>
    public const int MaxTargets = 64;

    private static readonly byte[] JsonNull = "null"u8.ToArray();

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

        BindingEventResponse answer;
        try
        {
            answer = await app.Client.OnBindingEventAsync(message, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (answer.To.Count > 0)
        {
            await SendOnAsync(binding, answer, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>The answer's data to the output bindings it names, as daprd's onAppResponse: JSON, or null when it is not JSON.</summary>
    private async Task SendOnAsync(string binding, BindingEventResponse answer, CancellationToken cancellationToken)
    {
        var data = IsJson(answer.Data.Memory) ? answer.Data.ToByteArray() : JsonNull;
        var targets = answer.To.Take(MaxTargets).ToList();
        if (answer.To.Count > MaxTargets)
        {
            Log.OutputFromAppFailed(logger, binding, answer.To[MaxTargets], $"the answer names {answer.To.Count} output bindings; only the first {MaxTargets} get its data.");
        }

        if (answer.Concurrency == BindingEventResponse.Types.BindingEventConcurrency.Parallel)
        {
            await Task.WhenAll(targets.Select(target => SendToOutputAsync(binding, target, data, cancellationToken))).ConfigureAwait(false);
            return;
        }

        foreach (var target in targets)
        {
            if (!await SendToOutputAsync(binding, target, data, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task<bool> SendToOutputAsync(string binding, string target, byte[] data, CancellationToken cancellationToken)
    {
        try
        {
            await outputs.InvokeAsync(target, "create", data, new Dictionary<string, string>(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            Log.OutputFromAppFailed(logger, binding, target, exception.Message);
            return false;
        }
    }

    private static bool IsJson(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(data);
            return true;
        }
        catch (JsonException)
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
