using System.Globalization;
using BusRuntime.Core.Errors;
using BusRuntime.Protos.V1;
using Google.Protobuf.WellKnownTypes;

namespace BusRuntime.Sidecar.WebConsole;

/// <summary>The journal: the messages table (filters, pages, live follow), one message's page, and its replay.</summary>
internal static class MessagePages
{
    private const string Section = "/messages";
    private const int PageSize = 50;

    private static readonly TimeSpan ConversationWindow = TimeSpan.FromHours(1);

    /// <summary>What the Time range filter offers, the first being the default.</summary>
    private static readonly (string Value, string Name, TimeSpan? Span)[] Ranges =
    [
        ("1h", "last hour", TimeSpan.FromHours(1)),
        ("10m", "last 10 minutes", TimeSpan.FromMinutes(10)),
        ("24h", "last 24 hours", TimeSpan.FromHours(24)),
        ("7d", "last 7 days", TimeSpan.FromDays(7)),
        ("all", "all the journal keeps", null),
    ];

    private static readonly string[] Kinds = ["topic-event", "state-change", "configuration-change", "invoke-request", "invoke-response", "job-tick", "job-tick-outcome"];

    private static readonly string[] Outcomes = ["sent", "delivered", "dead-lettered", "dropped", "faulted"];

    private static readonly string[] Columns = ["Message id", "Kind", "Topic", "Source app", "Destination", "Time (UTC)", "Outcome"];

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/messages", (HttpContext context, ConsoleSidecar sidecar, TimeProvider clock) =>
            ConsoleErrors.PageAsync(sidecar, Section, () => ListAsync(context, sidecar, clock)));
        routes.MapGet("/messages/rows", (HttpContext context, ConsoleSidecar sidecar, TimeProvider clock) =>
            ConsoleErrors.PageAsync(sidecar, Section, () => RowsAsync(context, sidecar, clock)));
        routes.MapGet("/messages/find", (string? id) => string.IsNullOrWhiteSpace(id)
            ? Results.Redirect("/messages")
            : Results.Redirect("/messages/" + Uri.EscapeDataString(id.Trim())));
        routes.MapGet("/messages/{id}", (string id, ConsoleSidecar sidecar) =>
            ConsoleErrors.PageAsync(sidecar, Section, () => ShowAsync(id, sidecar)));
        routes.MapGet("/messages/{id}/replay", (string id, string? toApp, HttpContext context, ConsoleSidecar sidecar, FormToken token) =>
            ConsoleErrors.PageAsync(sidecar, Section, () => ConfirmReplayAsync(id, toApp, context, sidecar, token)));
        routes.MapPost("/messages/{id}/replay", (string id, HttpContext context, ConsoleSidecar sidecar, FormToken token) =>
            ConsoleErrors.PageAsync(sidecar, Section, () => ReplayAsync(id, context, sidecar, token)));
    }

    private static async Task<IResult> ListAsync(HttpContext context, ConsoleSidecar sidecar, TimeProvider clock)
    {
        var query = context.Request.Query;
        if (Request(context, clock) is not { } request)
        {
            return Layout.Page(sidecar, Section, "Invalid request", $"<div role=\"alert\" class=\"problem\"><p>{Html.Text(Problem(context))}</p></div>", StatusCodes.Status400BadRequest);
        }

        var entries = (await sidecar.Operations.ListMessagesAsync(request, cancellationToken: context.RequestAborted)).Entries;
        string Value(string name) => query[name].ToString();
        var range = query["range"].ToString() is { Length: > 0 } chosen ? chosen : Ranges[0].Value;
        var filters = $"""
            <form method="get" action="/messages" class="filters" aria-label="Filters">
            <div><label for="topic">Topic</label><input id="topic" name="topic" value="{Html.Text(Value("topic"))}" maxlength="255"></div>
            <div><label for="app">App id</label><input id="app" name="app" value="{Html.Text(Value("app"))}" maxlength="255"></div>
            <div><label for="kind">Kind</label><input id="kind" name="kind" list="kinds" value="{Html.Text(Value("kind"))}" maxlength="255"><datalist id="kinds">{string.Concat(Kinds.Select(kind => $"<option value=\"{kind}\"></option>"))}</datalist></div>
            <div><label for="outcome">Outcome</label><select id="outcome" name="outcome"><option value="">any</option>{Options(Outcomes.Select(outcome => (outcome, outcome)), Value("outcome"))}</select></div>
            <div><label for="range">Time range</label><select id="range" name="range">{Options(Ranges.Select(item => (item.Value, item.Name)), range)}</select></div>
            <div><button type="submit">Filter</button></div>
            </form>
            <form method="get" action="/messages/find" class="filters" aria-label="Open a message">
            <div><label for="message-id">Message id</label><input id="message-id" name="id" required maxlength="255"></div>
            <div><button type="submit">Open</button></div>
            </form>
            """;
        var firstPage = request.Before is null;
        var follow = firstPage
            ? $"<p class=\"follow\"><input type=\"checkbox\" id=\"follow\" data-rows=\"/messages/rows{Html.Text(context.Request.QueryString.Value)}\"><label for=\"follow\">Follow new messages</label> <span id=\"follow-status\" role=\"status\"></span></p>"
            : "";
        var older = entries.Count == PageSize
            ? $"<p><a href=\"/messages{Html.Text(WithBefore(context, entries[^1].RecordedAt))}\">Older messages</a></p>"
            : "";
        var body = filters + follow
            + Html.Table("Journal entries, newest first", Columns, [.. entries.Select(Row)], "No message in the journal matches these filters.", "messages-rows")
            + older;
        return Layout.Page(sidecar, Section, "Messages", body);
    }

    private static async Task<IResult> RowsAsync(HttpContext context, ConsoleSidecar sidecar, TimeProvider clock)
    {
        if (Request(context, clock) is not { } request)
        {
            return Results.BadRequest();
        }

        var entries = (await sidecar.Operations.ListMessagesAsync(request, cancellationToken: context.RequestAborted)).Entries;
        var rows = entries.Count == 0 ? Html.EmptyRow(Columns.Length, "No message in the journal matches these filters.") : string.Concat(entries.Select(Row));
        return Results.Content(rows, "text/html; charset=utf-8");
    }

    private static async Task<IResult> ShowAsync(string id, ConsoleSidecar sidecar)
    {
        var entries = (await sidecar.Operations.GetMessageAsync(new GetMessageRequest { MessageId = id })).Entries;
        var first = entries[0];
        var facts = $"""
            <dl class="facts">
            <dt>Message id</dt><dd>{Html.Text(first.MessageId)}</dd>
            <dt>Kind</dt><dd>{Html.Text(first.Kind)}</dd>
            <dt>Topic</dt><dd>{Html.Text(first.Topic)}</dd>
            <dt>Source app</dt><dd>{Html.Text(first.SourceAppId)}</dd>
            <dt>Conversation id</dt><dd>{Html.Text(first.ConversationId)}</dd>
            <dt>Correlation id</dt><dd>{Html.Text(first.CorrelationId)}</dd>
            </dl>
            """;
        var omitted = entries.Max(entry => entry.BodyOmittedBytes);
        var replay = first.Kind == "topic-event" && omitted == 0
            ? $"<form method=\"get\" action=\"/messages/{Html.Query(first.MessageId)}/replay\"><button type=\"submit\">Replay</button></form>"
            : "";
        var history = Html.Table(
            "Delivery history, oldest first",
            ["Time (UTC)", "Outcome", "Retries", "Where", "Reason"],
            [.. entries.Select(entry => Html.Row(Html.Text(Html.Time(entry.RecordedAt)), Outcome(entry), Html.Number(entry.Retries), Html.Text(entry.DestinationAddress), Html.Text(entry.Reason)))],
            "");
        var headers = Html.Table(
            "Headers",
            ["Header", "Value"],
            [.. first.Headers.OrderBy(header => header.Key, StringComparer.Ordinal).Select(header => Html.Row(Html.Text(header.Key), Html.Text(header.Value)))],
            "No headers.");
        var body = omitted > 0
            ? $"<h2>Body</h2><p>Not kept: {Html.Number(omitted)} bytes, over BusRuntime:Journal:MaxBodyBytes.</p>"
            : Body(entries.Select(entry => entry.Body).FirstOrDefault(text => text.Length > 0) ?? "");
        var conversation = await ConversationAsync(sidecar, first);
        return Layout.Page(sidecar, Section, $"Message {first.MessageId}", facts + replay + history + headers + body + conversation);
    }

    private static string Body(string body)
    {
        if (body.Length == 0)
        {
            return "<h2>Body</h2><p>The journal has no body for it.</p>";
        }

        var decoded = EventBody.Of(body);
        var data = decoded.Data is null
            ? ""
            : $"<h2>Data</h2><p>{(decoded.DataIsJson ? "JSON" : "Not JSON: its bytes in hex")}</p><pre class=\"body\" aria-label=\"Data\">{Html.Text(decoded.Data)}</pre>";
        return data + $"<h2>{(decoded.Data is null ? "Body" : "Envelope")}</h2><pre class=\"body\">{Html.Text(decoded.Envelope)}</pre>";
    }

    /// <summary>
    /// The journal entries of the message's conversation within an hour of it either way: what a troubleshooter follows,
    /// and a bound on what the journal reads for it (the conversation has no index of its own).
    /// </summary>
    private static async Task<string> ConversationAsync(ConsoleSidecar sidecar, JournalEntry message)
    {
        if (message.ConversationId.Length == 0)
        {
            return "";
        }

        var entries = (await sidecar.Operations.ListMessagesAsync(new ListMessagesRequest
        {
            ConversationId = message.ConversationId,
            Since = Timestamp.FromDateTimeOffset(message.RecordedAt.ToDateTimeOffset() - ConversationWindow),
            Before = Timestamp.FromDateTimeOffset(message.RecordedAt.ToDateTimeOffset() + ConversationWindow),
            Limit = 100,
        })).Entries;
        return "<h2>Conversation</h2>" + Html.Table($"Conversation {message.ConversationId}, newest first", Columns, [.. entries.Select(Row)], "No other entry of its conversation.");
    }

    private static async Task<IResult> ConfirmReplayAsync(string id, string? toApp, HttpContext context, ConsoleSidecar sidecar, FormToken token)
    {
        var plan = await sidecar.Operations.ReplayMessageAsync(
            new ReplayMessageRequest { MessageId = id, ToAppId = toApp ?? "", DryRun = true }, cancellationToken: context.RequestAborted);
        var warnings = Warnings(plan);
        var form = Forms.Post(
            token,
            $"/messages/{Uri.EscapeDataString(id)}/replay",
            "Yes, replay it",
            $"<input type=\"hidden\" name=\"toApp\" value=\"{Html.Text(toApp)}\">");
        var narrow = $"""
            <form method="get" action="/messages/{Html.Query(id)}/replay" class="filters" aria-label="Where to">
            <div><label for="to-app">Only to the subscription of app id</label><input id="to-app" name="toApp" value="{Html.Text(toApp)}" maxlength="255"></div>
            <div><button type="submit">Change</button></div>
            </form>
            """;
        var body = $"""
            <p>Replay message <a href="/messages/{Html.Query(id)}">{Html.Text(id)}</a>? It is sent again with a new message id and the header busruntime-replay-of,
            to <strong>{Html.Text(plan.DestinationAddress)}</strong> (topic {Html.Text(plan.Topic)}).</p>
            {warnings}{form}<p><a href="/messages/{Html.Query(id)}">Cancel</a></p>{narrow}
            """;
        return Layout.Page(sidecar, Section, "Replay?", body);
    }

    private static async Task<IResult> ReplayAsync(string id, HttpContext context, ConsoleSidecar sidecar, FormToken token)
    {
        if (await Forms.FromConsoleAsync(token, context) is not { } form)
        {
            return Refused(sidecar);
        }

        var replayed = await sidecar.Operations.ReplayMessageAsync(
            new ReplayMessageRequest { MessageId = id, ToAppId = form["toApp"].ToString() }, cancellationToken: context.RequestAborted);
        var body = $"""
            <p role="status">Replayed <a href="/messages/{Html.Query(id)}">{Html.Text(id)}</a> as
            <a href="/messages/{Html.Query(replayed.MessageId)}" id="replayed">{Html.Text(replayed.MessageId)}</a>
            to {Html.Text(replayed.DestinationAddress)} (topic {Html.Text(replayed.Topic)}).</p>
            {Warnings(replayed)}
            """;
        return Layout.Page(sidecar, Section, "Replayed", body);
    }

    /// <summary>A POST that did not come from one of the console's own pages.</summary>
    public static IResult Refused(ConsoleSidecar sidecar) => Layout.Page(
        sidecar,
        "",
        "Refused",
        "<div role=\"alert\" class=\"problem\"><p>Refused: this request did not come from one of the console's own pages (a cross-site request, or a page "
        + "older than the console's process). Nothing was sent to the sidecar. Open the page in the console and try again.</p></div>",
        StatusCodes.Status403Forbidden);

    private static string Warnings(ReplayMessageResponse response) =>
        response.Warnings.Count == 0 ? "" : $"<ul class=\"warnings\">{string.Concat(response.Warnings.Select(warning => $"<li>{Html.Text(warning)}</li>"))}</ul>";

    private static string Row(JournalEntry entry) => Html.Row(
        $"<a href=\"/messages/{Html.Query(entry.MessageId)}\">{Html.Text(entry.MessageId)}</a>",
        Html.Text(entry.Kind),
        Html.Text(entry.Topic),
        Html.Text(entry.SourceAppId),
        Html.Text(entry.DestinationAddress),
        $"<time datetime=\"{Html.Text(entry.RecordedAt.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture))}\">{Html.Text(Html.Time(entry.RecordedAt))}</time>",
        Outcome(entry));

    private static string Outcome(JournalEntry entry)
    {
        var text = entry.Outcome == "delivered" && entry.Retries > 0 ? $"delivered after {entry.Retries} retries" : entry.Outcome;
        return $"<span class=\"outcome {Html.Text(entry.Outcome)}\">{Html.Text(text)}</span>";
    }

    private static string Options(IEnumerable<(string Value, string Name)> options, string selected) =>
        string.Concat(options.Select(option =>
            $"<option value=\"{Html.Text(option.Value)}\"{(option.Value == selected ? " selected" : "")}>{Html.Text(option.Name)}</option>"));

    /// <summary>The request the query string asks for, or null when it names a time range or a page that is not one (<see cref="Problem"/> says why).</summary>
    private static ListMessagesRequest? Request(HttpContext context, TimeProvider clock)
    {
        var query = context.Request.Query;
        var request = new ListMessagesRequest
        {
            Topic = query["topic"].ToString().Trim(),
            AppId = query["app"].ToString().Trim(),
            Kind = query["kind"].ToString().Trim(),
            Outcome = query["outcome"].ToString(),
            Limit = PageSize,
        };
        var range = query["range"].ToString() is { Length: > 0 } chosen ? chosen : Ranges[0].Value;
        var index = Array.FindIndex(Ranges, item => item.Value == range);
        if (index < 0)
        {
            return null;
        }

        if (Ranges[index].Span is { } span)
        {
            request.Since = Timestamp.FromDateTimeOffset(clock.GetUtcNow() - span);
        }

        if (query["before"].ToString() is { Length: > 0 } before)
        {
            if (!DateTimeOffset.TryParseExact(before, "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return null;
            }

            request.Before = Timestamp.FromDateTimeOffset(time);
        }

        return request;
    }

    private static string Problem(HttpContext context)
    {
        var query = context.Request.Query;
        var range = query["range"].ToString();
        return range.Length > 0 && !Ranges.Any(item => item.Value == range)
            ? $"range {Quoted.Of(range)} is not one of: {string.Join(", ", Ranges.Select(item => item.Value))}."
            : $"before {Quoted.Of(query["before"].ToString())} is not a time like {DateTimeOffset.UnixEpoch.ToString("O", CultureInfo.InvariantCulture)}.";
    }

    /// <summary>This page's query string with before set to <paramref name="time"/>: the next, older, page.</summary>
    private static string WithBefore(HttpContext context, Timestamp time)
    {
        var values = context.Request.Query
            .Where(pair => pair.Key != "before")
            .SelectMany(pair => pair.Value.Select(value => (Key: pair.Key, Value: value ?? "")))
            .Append((Key: "before", Value: time.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture)));
        return "?" + string.Join("&", values.Select(pair => $"{Uri.EscapeDataString(pair.Key)}={Uri.EscapeDataString(pair.Value)}"));
    }
}
