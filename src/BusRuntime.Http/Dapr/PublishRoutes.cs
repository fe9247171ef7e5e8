using BusRuntime.Core.Errors;
using BusRuntime.Core.PubSub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BusRuntime.Http.Dapr;

/// <summary>
/// POST /v1.0/publish/{pubsub}/{topic} on the topic publisher: the body is the event's data, Content-Type
/// its content type, the metadata.* query parameters its metadata. 204 once the broker confirmed it.
/// </summary>
public static class PublishRoutes
{
    public static IEndpointRouteBuilder MapDaprPublish(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/v1.0/publish/{pubsubName}/{**topic}", PublishAsync).AddEndpointFilter(new DaprErrorFilter(Errors));
        return endpoints;
    }

    private static async Task<IResult> PublishAsync(string pubsubName, string topic, HttpRequest request, TopicPublisher publisher, CancellationToken cancellationToken)
    {
        var body = await DaprResults.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        await publisher.PublishAsync(
            new PublishRequest(pubsubName, topic, body, request.ContentType ?? "", DaprResults.QueryMetadata(request)),
            cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static (int, string, string) Errors(RuntimeException exception) => exception.Code switch
    {
        ErrorCode.NotFound => (StatusCodes.Status404NotFound, DaprErrorCodes.PubSubNotFound, exception.Message),
        ErrorCode.InvalidArgument => (StatusCodes.Status400BadRequest, DaprErrorCodes.PubSubPublishMessage, exception.Message),
        _ => (StatusCodes.Status500InternalServerError, DaprErrorCodes.PubSubPublishMessage, exception.Message),
    };
}
