using System.Text;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Metadata;
using BusRuntime.Core.Subscriptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace BusRuntime.Http.Dapr;

/// <summary>GET /v1.0/metadata (the sidecar's app id, components, subscriptions and attributes) and PUT /v1.0/metadata/{key}.</summary>
public static class MetadataRoutes
{
    // Dapr reports its component versions as "v1"; BusRuntime's components have one version each.
    private const string ComponentVersion = "v1";

    public static IEndpointRouteBuilder MapDaprMetadata(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var errors = new DaprErrorFilter(ApiOperation.Metadata);
        endpoints.MapGet("/v1.0/metadata", (IOptions<RuntimeOptions> options, IOptions<ComponentsOptions> components, IOptions<AppChannelOptions> appCallback, IOptions<AppHealthOptions> appHealth, TopicSubscriptions subscriptions, ExtendedMetadata extended) =>
            Results.Json(new MetadataResponse(
                options.Value.AppId,
                RuntimeVersion.Current,
                [],
                [.. components.Value.Components.Select(component => new MetadataComponent(component.Name, component.Type, ComponentVersion, []))],
                extended.List(),
                [.. subscriptions.List().SelectMany(subscription => subscription.Subscribers.Select(subscriber => new MetadataSubscription(
                    subscription.PubsubName,
                    subscription.Topic,
                    subscriber.DeadLetterTopic ?? "",
                    subscriber.Rules.Count == 0
                        ? null
                        : [.. subscriber.Rules.Select(rule => new MetadataSubscriptionRule(NullIfEmpty(rule.Match), NullIfEmpty(rule.Path)))])))],
                appCallback.Value.Connection is { } app ? new MetadataAppConnection(app.Port, app.Protocol, app.ChannelAddress) { Health = MetadataAppHealth.Of(appHealth.Value) } : null)))
            .AddEndpointFilter(errors);
        endpoints.MapPut("/v1.0/metadata/{key}", async (string key, HttpRequest request, ExtendedMetadata extended, CancellationToken cancellationToken) =>
        {
            var body = await DaprResults.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
            extended.Set(key, Encoding.UTF8.GetString(body));
            return Results.NoContent();
        }).AddEndpointFilter(errors);
        return endpoints;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
