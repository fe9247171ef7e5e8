using System.Globalization;
using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// GET /v1.0/configuration/{store}?key=a&amp;key=b (and Dapr's alpha route) on the configuration primitive: the app's own
/// items with those keys (all when none), in the group and label the metadata.group and metadata.label query parameters
/// name ("default" when absent), as the gRPC GetConfiguration reads them. 200 with {"key":{"value","version","metadata"}},
/// 204 when no item matched, as Dapr. An unknown store is 400 ERR_CONFIGURATION_STORE_NOT_FOUND.
/// GET …/{store}/subscribe (same keys and metadata) answers {"id"} and pushes each change to the HTTP app
/// (<see cref="IAppConfigurationPush"/>); without an HTTP app it is 500 ERR_APP_CHANNEL_NIL, as in daprd. GET
/// …/{store}/{id}/unsubscribe answers {"ok": true}, or 500 with {"ok": false, "message"} for an id it does not know.
/// </summary>
public static class ConfigurationRoutes
{
    private const string KeyParameter = "key";
    private const string GroupKey = "group";
    private const string LabelKey = "label";

    /// <summary>daprd's error code when a request needs the app channel and there is none.</summary>
    private const string AppChannelNil = "ERR_APP_CHANNEL_NIL";

    public static IEndpointRouteBuilder MapDaprConfiguration(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var errors = new DaprErrorFilter(ApiOperation.ConfigurationGet);
        endpoints.MapGet("/v1.0/configuration/{storeName}", GetAsync).AddEndpointFilter(errors);
        endpoints.MapGet("/v1.0-alpha1/configuration/{storeName}", GetAsync).AddEndpointFilter(errors);
        endpoints.MapGet("/v1.0/configuration/{storeName}/subscribe", SubscribeAsync).AddEndpointFilter(errors);
        endpoints.MapGet("/v1.0-alpha1/configuration/{storeName}/subscribe", SubscribeAsync).AddEndpointFilter(errors);
        endpoints.MapGet("/v1.0/configuration/{storeName}/{id}/unsubscribe", Unsubscribe).AddEndpointFilter(errors);
        endpoints.MapGet("/v1.0-alpha1/configuration/{storeName}/{id}/unsubscribe", Unsubscribe).AddEndpointFilter(errors);
        return endpoints;
    }

    private static async Task<IResult> SubscribeAsync(
        string storeName, HttpRequest request, IAppConfigurationPush push, IOptions<RuntimeOptions> options, CancellationToken cancellationToken)
    {
        var metadata = DaprResults.QueryMetadata(request);
        var keys = request.Query[KeyParameter].Select(key => key ?? "").ToList();
        string id;
        try
        {
            id = await push.SubscribeAsync(
                new ConfigurationSubscription(storeName, options.Value.AppId, metadata.GetValueOrDefault(GroupKey, ""), metadata.GetValueOrDefault(LabelKey, ""), keys),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeException exception) when (exception.Code == ErrorCode.FailedPrecondition)
        {
            throw new DaprHttpException(StatusCodes.Status500InternalServerError, AppChannelNil, exception.Message);
        }

        return Results.Json(new Dictionary<string, string> { ["id"] = id });
    }

    private static IResult Unsubscribe(string storeName, string id, IAppConfigurationPush push) =>
        push.Unsubscribe(storeName, id)
            ? Results.Json(new Dictionary<string, object> { ["ok"] = true })
            : Results.Json(
                new Dictionary<string, object>
                {
                    ["ok"] = false,
                    // The id and store are not echoed: this 500 answers any path the route matches.
                    ["message"] = "error unsubscribing configuration subscription: no subscription with this id is open on this configuration store.",
                },
                statusCode: StatusCodes.Status500InternalServerError);

    private static async Task<IResult> GetAsync(
        string storeName, HttpRequest request, AppConfigurationManager configuration, IOptions<RuntimeOptions> options, CancellationToken cancellationToken)
    {
        var metadata = DaprResults.QueryMetadata(request);
        var keys = request.Query[KeyParameter].Select(key => key ?? "").ToList();
        var items = await configuration.GetAsync(
            storeName,
            options.Value.AppId,
            metadata.GetValueOrDefault(GroupKey, ""),
            metadata.GetValueOrDefault(LabelKey, ""),
            keys,
            new Dictionary<string, string>(StringComparer.Ordinal),
            cancellationToken).ConfigureAwait(false);
        if (items.Count == 0)
        {
            return Results.NoContent();
        }

        return Results.Json(items.ToDictionary(
            item => item.Key,
            item => new ConfigurationItemBody(
                string.IsNullOrEmpty(item.Content) ? null : item.Content,
                item.Version.ToString(CultureInfo.InvariantCulture),
                item.Metadata.Count == 0 ? null : item.Metadata),
            StringComparer.Ordinal));
    }
}
