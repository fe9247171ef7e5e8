using System.Text;
using System.Text.Json;
using BusRuntime.Core.Errors;
using BusRuntime.Core.State;
using BusRuntime.Core.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// Dapr's state routes on the state primitive: GET (200 with an ETag header, 204 for a missing key),
/// POST (save), DELETE (If-Match), bulk and transaction. As in Dapr, the store is checked before the body
/// is read: an unknown store is 400 ERR_STATE_STORE_NOT_FOUND; an etag that does not match is 409. The query route
/// (Dapr's alpha one) answers a malformed query 400 ERR_STATE_QUERY and a store that cannot query 500
/// ERR_STATE_STORE_NOT_SUPPORTED.
/// </summary>
public static class StateRoutes
{
    private const string MetadataHeaderPrefix = "metadata.";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IEndpointRouteBuilder MapDaprState(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/v1.0/state/{storeName}/{key}", GetAsync).AddEndpointFilter(new DaprErrorFilter(ApiOperation.StateGet));
        endpoints.MapMethods("/v1.0/state/{storeName}", [HttpMethods.Post, HttpMethods.Put], SaveAsync).AddEndpointFilter(new DaprErrorFilter(ApiOperation.StateSave));
        endpoints.MapDelete("/v1.0/state/{storeName}/{key}", DeleteAsync).AddEndpointFilter(new DaprErrorFilter(ApiOperation.StateDelete));
        endpoints.MapMethods("/v1.0/state/{storeName}/bulk", [HttpMethods.Post, HttpMethods.Put], GetBulkAsync).AddEndpointFilter(new DaprErrorFilter(ApiOperation.StateBulkGet));
        endpoints.MapMethods("/v1.0/state/{storeName}/transaction", [HttpMethods.Post, HttpMethods.Put], TransactionAsync).AddEndpointFilter(new DaprErrorFilter(ApiOperation.StateTransaction));
        endpoints.MapMethods("/v1.0-alpha1/state/{storeName}/query", [HttpMethods.Post, HttpMethods.Put], QueryAsync).AddEndpointFilter(new DaprErrorFilter(ApiOperation.StateQuery));
        return endpoints;
    }

    private static async Task<IResult> GetAsync(string storeName, string key, HttpResponse response, StateManager state, CancellationToken cancellationToken)
    {
        var value = await state.GetAsync(storeName, key, cancellationToken).ConfigureAwait(false);
        if (value.ETag.Length == 0)
        {
            return Results.NoContent();
        }

        response.Headers.ETag = value.ETag;
        foreach (var (name, entry) in value.Metadata)
        {
            response.Headers[MetadataHeaderPrefix + name] = entry;
        }

        return Results.Bytes(value.Data, "application/json");
    }

    private static async Task<IResult> SaveAsync(string storeName, HttpRequest request, NamedStores<IStateStore> stores, StateManager state, CancellationToken cancellationToken)
    {
        stores.Get(storeName);
        var body = await DaprResults.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        var items = StateBody.ReadSave(body, DaprResults.QueryMetadata(request));
        await state.SaveAsync(storeName, items, cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteAsync(string storeName, string key, HttpRequest request, StateManager state, CancellationToken cancellationToken)
    {
        var etag = StateBody.ReadETag(request.Headers.IfMatch.ToString());
        var concurrency = StateBody.ReadConcurrency(request.Query["concurrency"].ToString(), "the concurrency query parameter");
        await state.DeleteAsync(storeName, StateChange.Delete(key, etag, concurrency), cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> GetBulkAsync(string storeName, HttpRequest request, NamedStores<IStateStore> stores, StateManager state, CancellationToken cancellationToken)
    {
        stores.Get(storeName);
        var body = await DaprResults.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        var keys = StateBody.ReadBulkKeys(body);
        var values = await state.GetBulkAsync(storeName, keys, cancellationToken).ConfigureAwait(false);
        return Results.Json(values.Select(value => value.ETag.Length == 0
            ? new BulkStateItem(value.Key, null, null, null)
            : new BulkStateItem(value.Key, ToJson(value.Data), value.ETag, value.Metadata.Count == 0 ? null : value.Metadata)).ToList());
    }

    private static async Task<IResult> TransactionAsync(string storeName, HttpRequest request, NamedStores<IStateStore> stores, StateManager state, CancellationToken cancellationToken)
    {
        stores.Get(storeName);
        var body = await DaprResults.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        var operations = StateBody.ReadTransaction(body, DaprResults.QueryMetadata(request));
        await state.ExecuteTransactionAsync(storeName, operations, cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    /// <summary>The body is the query (Dapr's query language); 200 with the results and the next token, 204 when nothing matched, as Dapr.</summary>
    private static async Task<IResult> QueryAsync(string storeName, HttpRequest request, NamedStores<IStateStore> stores, StateManager state, CancellationToken cancellationToken)
    {
        stores.Get(storeName);
        var body = await DaprResults.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        string query;
        try
        {
            query = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw RuntimeException.InvalidArgument("query is not UTF-8 text; send the query as JSON in UTF-8.");
        }

        var result = await state.QueryAsync(storeName, query, cancellationToken).ConfigureAwait(false);
        if (result.Results.Count == 0)
        {
            return Results.NoContent();
        }

        return Results.Json(new QueryStateBody(
            [.. result.Results.Select(value => new QueryStateItem(value.Key, ToJson(value.Data), value.ETag))],
            result.Token.Length == 0 ? null : result.Token));
    }

    /// <summary>
    /// A stored value as JSON: itself when it is JSON (what Dapr's HTTP API stores), otherwise its text as a
    /// JSON string (bytes a gRPC client stored), as Dapr's bulk answer cannot carry raw bytes.
    /// </summary>
    private static JsonElement ToJson(ReadOnlyMemory<byte> data)
    {
        var reader = new Utf8JsonReader(data.Span);
        try
        {
            if (JsonElement.TryParseValue(ref reader, out var element) && !reader.Read())
            {
                return element.Value;
            }
        }
        catch (JsonException)
        {
            // Not JSON: sent as text below.
        }

        return JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(data.Span));
    }
}
