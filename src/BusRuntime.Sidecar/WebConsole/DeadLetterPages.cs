using BusRuntime.Protos.V1;
using Grpc.Core;

namespace BusRuntime.Sidecar.WebConsole;

/// <summary>Dead letters per queue, with Redrive per message and Redrive all, whose page shows each message as it moves.</summary>
internal static class DeadLetterPages
{
    private const string Section = "/deadletters";

    /// <summary>Messages listed per queue: the page is for reading; Redrive all moves every one.</summary>
    private const int ShownPerQueue = 100;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/deadletters", (HttpContext context, ConsoleSidecar sidecar, FormToken token) =>
            ConsoleErrors.PageAsync(sidecar, Section, () => ListAsync(context, sidecar, token)));
        routes.MapPost("/deadletters/redrive", (HttpContext context, ConsoleSidecar sidecar, FormToken token) =>
            ConsoleErrors.PageAsync(sidecar, Section, () => RedriveAsync(context, sidecar, token)));
        routes.MapPost("/deadletters/redrive-all", (HttpContext context, ConsoleSidecar sidecar, FormToken token) =>
            ConsoleErrors.PageAsync(sidecar, Section, () => RedriveAllAsync(context, sidecar, token)));
    }

    private static async Task<IResult> ListAsync(HttpContext context, ConsoleSidecar sidecar, FormToken token)
    {
        var queue = context.Request.Query["queue"].ToString().Trim();
        var listed = await sidecar.Operations.ListDeadLettersAsync(new ListDeadLettersRequest { Queue = queue, Limit = ShownPerQueue }, cancellationToken: context.RequestAborted);
        var pick = $"""
            <form method="get" action="/deadletters" class="filters" aria-label="Another queue">
            <div><label for="queue">Queue</label><input id="queue" name="queue" value="{Html.Text(queue)}" maxlength="255"></div>
            <div><button type="submit">Show</button></div>
            </form>
            """;
        var sections = listed.Queues.Select(item =>
        {
            var messages = listed.Messages.Where(message => message.Queue == item.Name).ToList();
            var count = item.Count < 0 ? "never created: nothing was dead-lettered there" : $"{Html.Number(item.Count)} dead letters";
            var redriveAll = item.Count > 0
                ? Forms.Post(token, "/deadletters/redrive-all", "Redrive all", Hidden("queue", item.Name), $"Put all {item.Count} dead letters of {item.Name} back on {item.SourceQueue}?")
                : "";
            var rows = messages.Select(message => Html.Row(
                $"<a href=\"/messages/{Html.Query(message.MessageId)}\">{Html.Text(message.MessageId)}</a>",
                Html.Text(message.FaultedAt),
                Html.Text(message.Reason),
                Forms.Post(token, "/deadletters/redrive", "Redrive", Hidden("queue", item.Name) + Hidden("id", message.MessageId)))).ToList();
            var more = item.Count > messages.Count && messages.Count > 0 ? $"<p>The first {Html.Number(messages.Count)} are shown.</p>" : "";
            return $"""
                <section aria-label="{Html.Text(item.Name)}">
                <h2>{Html.Text(item.Name)}</h2>
                <p>Of queue {Html.Text(item.SourceQueue)}: {count}.</p>
                {redriveAll}
                {Html.Table($"Dead letters of {item.Name}", ["Message id", "Faulted at", "Reason", "Action"], rows, "No dead letter in this queue.")}
                {more}
                </section>
                """;
        });
        var body = pick + (listed.Queues.Count == 0
            ? "<p>The sidecar's app has no subscription, so no dead-letter queue: name a queue above to see one.</p>"
            : string.Concat(sections));
        return Layout.Page(sidecar, Section, "Dead letters", body);
    }

    private static async Task<IResult> RedriveAsync(HttpContext context, ConsoleSidecar sidecar, FormToken token)
    {
        if (await Forms.FromConsoleAsync(token, context) is not { } form)
        {
            return MessagePages.Refused(sidecar);
        }

        var queue = form["queue"].ToString();
        var redriven = await sidecar.Operations.RedriveDeadLetterAsync(
            new RedriveDeadLetterRequest { Queue = queue, MessageId = form["id"].ToString() }, cancellationToken: context.RequestAborted);
        var text = redriven.Moved
            ? $"Redriven: message <a href=\"/messages/{Html.Query(redriven.Message.MessageId)}\">{Html.Text(redriven.Message.MessageId)}</a> is back on its queue."
            : $"Nothing moved: message {Html.Text(form["id"].ToString())} is no longer in {Html.Text(queue)}.";
        return Layout.Page(sidecar, Section, "Redrive", $"<p role=\"status\">{text}</p><p><a href=\"/deadletters?queue={Html.Query(queue)}\">Back to the dead letters</a></p>");
    }

    /// <summary>
    /// Moves as many messages as the queue held when it started, one at a time (so a message that fails again is not
    /// chased in circles), writing a line per message as it goes: the page is the progress.
    /// </summary>
    private static async Task<IResult> RedriveAllAsync(HttpContext context, ConsoleSidecar sidecar, FormToken token)
    {
        if (await Forms.FromConsoleAsync(token, context) is not { } form)
        {
            return MessagePages.Refused(sidecar);
        }

        var queue = form["queue"].ToString();
        var listed = await sidecar.Operations.ListDeadLettersAsync(new ListDeadLettersRequest { Queue = queue }, cancellationToken: context.RequestAborted);
        var total = listed.Queues.Sum(item => Math.Max(item.Count, 0));
        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(Layout.Open(sidecar, Section, "Redrive all") + $"<p>Redriving {Html.Number(total)} dead letters of {Html.Text(queue)}, one at a time.</p><ol id=\"redriven\">", context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        var moved = 0;
        var end = "";
        try
        {
            while (moved < total)
            {
                var redriven = await sidecar.Operations.RedriveDeadLetterAsync(new RedriveDeadLetterRequest { Queue = queue }, cancellationToken: context.RequestAborted);
                if (!redriven.Moved)
                {
                    break;
                }

                moved++;
                await response.WriteAsync(
                    $"<li><a href=\"/messages/{Html.Query(redriven.Message.MessageId)}\">{Html.Text(redriven.Message.MessageId)}</a> ({Html.Number(moved)} of {Html.Number(total)})</li>\n",
                    context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (RpcException exception)
        {
            end = $"<div role=\"alert\" class=\"problem\"><p>{Html.Text(ConsoleErrors.Explain(sidecar, exception).Text)}</p></div>";
        }

        await response.WriteAsync(
            $"</ol>{end}<p role=\"status\">Redriven {Html.Number(moved)} of {Html.Number(total)}.</p><p><a href=\"/deadletters?queue={Html.Query(queue)}\">Back to the dead letters</a></p>" + Layout.Close,
            context.RequestAborted);
        return Results.Empty;
    }

    private static string Hidden(string name, string value) => $"<input type=\"hidden\" name=\"{name}\" value=\"{Html.Text(value)}\">";
}
