using System.Text;
using System.Text.Json;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Invoke;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// POST or PUT /v1.0/bindings/{name} on the output bindings primitive: the body is {"data","metadata","operation"} (names
/// in any case, as Go's JSON reads them). As in Dapr, the binding gets <c>data</c> as its JSON text (a string keeps its
/// quotes), and the answer is 200 with the binding's data as the body and its metadata as metadata.* headers. A failure
/// is ERR_INVOKE_OUTPUT_BINDING: 500, as Dapr, for an unknown binding or one that failed; 400 for a request that is not
/// valid (an operation the binding does not take, data over BusRuntime:MaxPayloadBytes).
/// </summary>
public static class BindingRoutes
{
    private const string MetadataHeaderPrefix = "metadata.";

    private static readonly byte[] JsonNull = "null"u8.ToArray();

    public static IEndpointRouteBuilder MapDaprBindings(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods("/v1.0/bindings/{name}", [HttpMethods.Post, HttpMethods.Put], InvokeAsync)
            .AddEndpointFilter(new DaprErrorFilter(ApiOperation.InvokeBinding));
        return endpoints;
    }

    private static async Task<IResult> InvokeAsync(string name, HttpRequest request, HttpResponse response, BindingInvoker bindings, CancellationToken cancellationToken)
    {
        var body = await DaprResults.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        byte[] data = JsonNull;
        var operation = "";
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var document = JsonBody.Parse(body, Malformed))
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Malformed($"the body is a JSON {Kind(document.RootElement)}; it must be an object with data, metadata and operation.");
            }

            foreach (var field in document.RootElement.EnumerateObject())
            {
                if (string.Equals(field.Name, "data", StringComparison.OrdinalIgnoreCase))
                {
                    data = Encoding.UTF8.GetBytes(field.Value.GetRawText());
                }
                else if (string.Equals(field.Name, "operation", StringComparison.OrdinalIgnoreCase))
                {
                    operation = field.Value.ValueKind switch
                    {
                        JsonValueKind.String => field.Value.GetString()!,
                        JsonValueKind.Null => "",
                        _ => throw Malformed($"operation is a JSON {Kind(field.Value)}; it must be a string."),
                    };
                }
                else if (string.Equals(field.Name, "metadata", StringComparison.OrdinalIgnoreCase))
                {
                    ReadMetadata(field.Value, metadata);
                }
            }
        }

        var answer = await bindings.InvokeAsync(name, operation, data, metadata, cancellationToken).ConfigureAwait(false);
        foreach (var (key, value) in answer.Metadata)
        {
            // A value a header cannot carry (a line break, a byte outside ASCII) is left out rather than failing the call.
            var header = MetadataHeaderPrefix + key;
            if (InvokeHeaders.Problem(header, value) is null)
            {
                response.Headers.Append(header, value);
            }
        }

        return Results.Bytes(answer.Data, "application/json");
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"metadata is a JSON {Kind(element)}; it must be an object of strings.");
        }

        foreach (var entry in element.EnumerateObject())
        {
            metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                ? entry.Value.GetString()!
                : throw Malformed($"metadata[{Quoted.Of(entry.Name)}] is a JSON {Kind(entry.Value)}; it must be a string.");
        }
    }

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();

    private static DaprHttpException Malformed(string message) =>
        new(StatusCodes.Status400BadRequest, DaprErrorCodes.MalformedRequest, message);
}
