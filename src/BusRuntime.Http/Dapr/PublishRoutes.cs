using BusRuntime.Contracts;
using BusRuntime.Core.Errors;
using BusRuntime.Core.PubSub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// POST or PUT /v1.0/publish/{pubsub}/{topic} on the topic publisher: the body is the event's data, Content-Type
/// its content type, the metadata.* query parameters its metadata. 204 once the broker confirmed it.
/// POST or PUT /v1.0/publish/bulk/{pubsub}/{topic} (and Dapr's alpha route) publishes many: 204 when the broker
/// confirmed them all, 500 listing the entries it did not. As in Dapr, the literal "bulk" segment wins over a
/// pub/sub of that name.
/// </summary>
public static class PublishRoutes
{
    public static IEndpointRouteBuilder MapDaprPublish(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        string[] verbs = [HttpMethods.Post, HttpMethods.Put];
        var errors = new DaprErrorFilter(ApiOperation.Publish);
        endpoints.MapMethods("/v1.0/publish/{pubsubName}/{**topic}", verbs, PublishAsync).AddEndpointFilter(errors);
        endpoints.MapMethods("/v1.0/publish/bulk/{pubsubName}/{**topic}", verbs, PublishBulkAsync).AddEndpointFilter(errors);
        endpoints.MapMethods("/v1.0-alpha1/publish/bulk/{pubsubName}/{**topic}", verbs, PublishBulkAsync).AddEndpointFilter(errors);
        return endpoints;
    }

    private static async Task<IResult> PublishAsync(string pubsubName, string topic, HttpRequest request, TopicPublisher publisher, CancellationToken cancellationToken)
    {
        var body = await DaprResults.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        await publisher.PublishAsync(
            new PublishRequest(pubsubName, topic, body, request.ContentType ?? "", DaprResults.QueryMetadata(request)) { DefaultType = TopicEvent.DaprDefaultType },
            cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> PublishBulkAsync(string pubsubName, string topic, HttpRequest request, PubSubComponents components, TopicPublisher publisher, CancellationToken cancellationToken)
    {
        // As in Dapr, the pub/sub is checked before the body is read.
        components.EnsureExists(pubsubName);
        var body = await DaprResults.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        var entries = BulkPublishBody.Read(body);
        var results = await publisher.PublishBulkAsync(pubsubName, topic, entries, DaprResults.QueryMetadata(request), TopicEvent.DaprDefaultType, cancellationToken).ConfigureAwait(false);
        var failed = results.Where(result => result.Error is not null).Select(result => new BulkPublishFailedEntry(result.EntryId, result.Error!)).ToList();
        return failed.Count == 0
            ? Results.NoContent()
            : Results.Json(new BulkPublishFailure(failed, DaprErrorCodes.PubSubPublishMessage), statusCode: StatusCodes.Status500InternalServerError);
    }
}
