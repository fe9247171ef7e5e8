using BusRuntime.Protos.V1;

namespace BusRuntime.Sidecar.WebConsole;

/// <summary>The sidecar's readiness per component, and what it is: app id, version, transport, components, subscriptions.</summary>
internal static class HealthPage
{
    private const string Section = "/health";

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/health", (HttpContext context, ConsoleSidecar sidecar) => ConsoleErrors.PageAsync(sidecar, Section, async () =>
        {
            var health = await sidecar.Operations.GetHealthAsync(new GetHealthRequest(), cancellationToken: context.RequestAborted);
            var info = await sidecar.Operations.GetInfoAsync(new GetInfoRequest(), cancellationToken: context.RequestAborted);
            var readiness = Html.Table(
                "Readiness per component",
                ["Component", "Status", "Details"],
                [.. health.Components.OrderBy(component => component.Key, StringComparer.Ordinal).Select(component => Html.Row(
                    Html.Text(component.Key),
                    $"<span class=\"status {Html.Text(component.Value.Status)}\">{Html.Text(component.Value.Status)}</span>",
                    Html.Text(string.Join("; ", component.Value.Details.OrderBy(detail => detail.Key, StringComparer.Ordinal).Select(detail => $"{detail.Key}: {detail.Value}")))))],
                "No component reports.");
            var facts = $"""
                <dl class="facts">
                <dt>App id</dt><dd>{Html.Text(info.AppId)}</dd>
                <dt>Version</dt><dd>{Html.Text(info.Version)}</dd>
                <dt>Transport</dt><dd>{Html.Text(info.Transport)}</dd>
                <dt>Pub/sub components</dt><dd>{Html.Text(string.Join(", ", info.Pubsubs))}</dd>
                </dl>
                """;
            var components = Html.Table(
                "Components",
                ["Name", "Type"],
                [.. info.Components.Select(component => Html.Row(Html.Text(component.Name), Html.Text(component.Type)))],
                "No components.");
            var subscriptions = Html.Table(
                "Subscriptions",
                ["Pub/sub", "Topic", "Queue", "Handlers"],
                [.. info.Subscriptions.Select(subscription => Html.Row(
                    Html.Text(subscription.PubsubName), Html.Text(subscription.Topic), Html.Text(subscription.Queue), Html.Number(subscription.Handlers)))],
                "The app subscribes to nothing (yet).");
            var body = $"<p class=\"readiness\" role=\"status\">Readiness: <strong class=\"status {Html.Text(health.Status)}\">{Html.Text(health.Status)}</strong></p>"
                + readiness + facts + components + subscriptions;
            return Layout.Page(sidecar, Section, "Health", body);
        }));
}
