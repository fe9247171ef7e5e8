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
/// 204 when no item matched, as Dapr. An unknown store is 400 ERR_CONFIGURATION_STORE_NOT_FOUND. Subscriptions
/// (/subscribe, /unsubscribe) need Dapr's HTTP app channel, which calls the app back over HTTP: not served.
/// </summary>
public static class ConfigurationRoutes
{
    private const string KeyParameter = "key";
    private const string GroupKey = "group";
    private const string LabelKey = "label";

    public static IEndpointRouteBuilder MapDaprConfiguration(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var errors = new DaprErrorFilter(ApiOperation.ConfigurationGet);
        endpoints.MapGet("/v1.0/configuration/{storeName}", GetAsync).AddEndpointFilter(errors);
        endpoints.MapGet("/v1.0-alpha1/configuration/{storeName}", GetAsync).AddEndpointFilter(errors);
        return endpoints;
    }

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
