using BusRuntime.Core.Errors;
using BusRuntime.Core.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// GET /v1.0/secrets/{store}/{key} ({"key":"value"}) and GET /v1.0/secrets/{store}/bulk ({"key":{"key":"value"}}, the
/// secrets the store's allow-list lets the app read) on the secrets primitive. As in Dapr, an unknown store is 401
/// ERR_SECRET_STORE_NOT_FOUND and a secret outside the allow-list 403 ERR_PERMISSION_DENIED. The metadata.* query
/// parameters are accepted and, as by Dapr's local file and environment stores, not read.
/// </summary>
public static class SecretRoutes
{
    public static IEndpointRouteBuilder MapDaprSecrets(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var errors = new DaprErrorFilter(ApiOperation.SecretGet);
        endpoints.MapGet("/v1.0/secrets/{storeName}/bulk", GetBulkAsync).AddEndpointFilter(errors);
        endpoints.MapGet("/v1.0/secrets/{storeName}/{key}", GetAsync).AddEndpointFilter(errors);
        return endpoints;
    }

    private static async Task<IResult> GetAsync(string storeName, string key, SecretManager secrets, CancellationToken cancellationToken) =>
        Results.Json(await secrets.GetAsync(storeName, key, cancellationToken).ConfigureAwait(false));

    private static async Task<IResult> GetBulkAsync(string storeName, SecretManager secrets, CancellationToken cancellationToken)
    {
        var all = await secrets.GetBulkAsync(storeName, cancellationToken).ConfigureAwait(false);
        return Results.Json(all.ToDictionary(
            secret => secret.Key,
            secret => new Dictionary<string, string>(StringComparer.Ordinal) { [secret.Key] = secret.Value },
            StringComparer.Ordinal));
    }
}
