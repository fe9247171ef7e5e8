using System.Net.Http.Headers;
using System.Text;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Jobs;
using BusRuntime.Protos.Dapr.Common.V1;
using BusRuntime.Protos.Dapr.Runtime.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace BusRuntime.AppCallback.Jobs;

/// <summary>
/// A job's tick to the app as daprd sends it. A gRPC app gets <c>OnJobEventAlpha1</c> with the name, the data as its Any,
/// method <c>job/{name}</c>, the data's type URL as content type and verb POST: OK takes the tick, an error status does
/// not. An HTTP app (<see cref="AppChannelOptions.IsHttpApp"/>) gets <c>POST /job/{name}</c> with the data as the body
/// (application/json; JSON data, a <c>google.protobuf.Value</c>, as JSON text, other data as its bytes): a 2xx takes it.
/// </summary>
public sealed class AppJobChannel(AppChannel app, IHttpClientFactory httpClients, IOptions<AppChannelOptions> options) : IJobApp
{
    /// <summary>The name of the HttpClient that calls an HTTP app, whose base address is the app's.</summary>
    public const string HttpClientName = "busruntime-jobs";

    public async Task<bool> DeliverAsync(string name, JobData? data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (options.Value.IsHttpApp)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/job/" + name, UriKind.Relative))
            {
                Content = new ByteArrayContent(HttpBody(data)),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }

        var message = new JobEventRequest
        {
            Name = name,
            Method = "job/" + name,
            ContentType = data?.TypeUrl ?? "",
            HttpExtension = new HTTPExtension { Verb = HTTPExtension.Types.Verb.Post },
        };
        if (data is not null)
        {
            message.Data = new Any { TypeUrl = data.TypeUrl, Value = ByteString.CopyFrom(data.Value.Span) };
        }

        try
        {
            // Deprecated by Dapr for OnJobEvent, which Dapr's published protos of 1.18 do not have yet.
#pragma warning disable CS0612
            await app.AlphaClient.OnJobEventAlpha1Async(message, cancellationToken: cancellationToken).ConfigureAwait(false);
#pragma warning restore CS0612
            return true;
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static byte[] HttpBody(JobData? data)
    {
        if (data is null)
        {
            return [];
        }

        if (data.TypeUrl == JobData.JsonValueTypeUrl)
        {
            var value = Value.Parser.ParseFrom(data.Value.Span);
            return value.KindCase == Value.KindOneofCase.None ? [] : Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(value));
        }

        return data.Value.Span.Trim(" \t\r\n"u8).ToArray();
    }
}
