using System.Globalization;
using System.Text.Json;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Locks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// Dapr's alpha lock routes on the lock primitive: POST /v1.0-alpha1/lock/{store} takes
/// {"resourceId","lockOwner","expiryInSeconds"} and answers {"success":bool}; POST /v1.0-alpha1/unlock/{store} takes
/// {"resourceId","lockOwner"} and answers {"status":n} with Dapr's numbers (0 success, 1 no such lock, 2 another
/// owner's). Field names are read as Dapr's protobuf JSON reads them: camelCase or the proto's snake_case. An unknown
/// store is 400 ERR_LOCK_STORE_NOT_FOUND, a request that is not valid 400 ERR_MALFORMED_REQUEST.
/// </summary>
public static class LockRoutes
{
    public static IEndpointRouteBuilder MapDaprLocks(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/v1.0-alpha1/lock/{storeName}", TryLockAsync).AddEndpointFilter(new DaprErrorFilter(ApiOperation.TryLock));
        endpoints.MapPost("/v1.0-alpha1/unlock/{storeName}", UnlockAsync).AddEndpointFilter(new DaprErrorFilter(ApiOperation.Unlock));
        return endpoints;
    }

    private static async Task<IResult> TryLockAsync(string storeName, HttpRequest request, LockManager locks, CancellationToken cancellationToken)
    {
        var body = await DaprResults.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        using var document = JsonBody.Parse(body, Malformed);
        var root = Object(document);
        var expiry = Int32Of(root, "expiryInSeconds", "expiry_in_seconds");
        if (expiry <= 0)
        {
            throw RuntimeException.InvalidArgument($"expiryInSeconds is {expiry}; a lease lasts a whole number of seconds, at least 1.");
        }

        var taken = await locks.TryLockAsync(storeName, StringOf(root, "resourceId", "resource_id"), StringOf(root, "lockOwner", "lock_owner"), expiry, cancellationToken).ConfigureAwait(false);
        return Results.Json(new TryLockBody(taken));
    }

    private static async Task<IResult> UnlockAsync(string storeName, HttpRequest request, LockManager locks, CancellationToken cancellationToken)
    {
        var body = await DaprResults.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        using var document = JsonBody.Parse(body, Malformed);
        var root = Object(document);
        var status = await locks.UnlockAsync(storeName, StringOf(root, "resourceId", "resource_id"), StringOf(root, "lockOwner", "lock_owner"), cancellationToken).ConfigureAwait(false);
        return Results.Json(new UnlockBody(status switch
        {
            LockStatus.Success => 0,
            LockStatus.LockDoesNotExist => 1,
            LockStatus.LockBelongsToOthers => 2,
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a LockStatus."),
        }));
    }

    private static DaprHttpException Malformed(string message) =>
        new(StatusCodes.Status400BadRequest, DaprErrorCodes.MalformedRequest, message);

    private static JsonElement Object(JsonDocument document) => document.RootElement.ValueKind == JsonValueKind.Object
        ? document.RootElement
        : throw Malformed($"the body is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}; it must be an object.");

    private static JsonElement? Field(JsonElement root, string name, string protoName) =>
        root.TryGetProperty(name, out var value) || root.TryGetProperty(protoName, out value) ? value : null;

    private static string StringOf(JsonElement root, string name, string protoName) => Field(root, name, protoName) switch
    {
        null => "",
        { ValueKind: JsonValueKind.String } value => value.GetString()!,
        { ValueKind: JsonValueKind.Null } => "",
        { } value => throw Malformed($"{name} is a JSON {value.ValueKind.ToString().ToLowerInvariant()}; it must be a string."),
    };

    // As protobuf's JSON, an int32 may be a number or a string of one.
    private static int Int32Of(JsonElement root, string name, string protoName)
    {
        var field = Field(root, name, protoName);
        if (field is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw Malformed($"{name} is {Quoted.Of(value.GetRawText())}; it must be a whole number of seconds (a 32-bit integer).");
    }
}
