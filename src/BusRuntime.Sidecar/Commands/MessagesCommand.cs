using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BusRuntime.Protos.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;

namespace BusRuntime.Sidecar.Commands;

/// <summary><c>busruntime messages list|show|replay</c>: a sidecar's message journal, through busruntime.v1.Operations.</summary>
public static class MessagesCommand
{
    // Scripts read retries 0 and an empty reason as such, not as missing fields.
    private static readonly Google.Protobuf.JsonFormatter EveryField = new(Google.Protobuf.JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static Command Create(TimeProvider timeProvider)
    {
        var sidecar = SidecarCall.SidecarOption();
        return new Command("messages", "The sidecar's message journal: what it sent, published and consumed, and what became of each message. " +
            "It shows the sidecar's app's messages (those it produced, and those delivered to its queues); every app's with BUSRUNTIME_OPERATOR_TOKEN.")
        {
            sidecar,
            List(sidecar, timeProvider),
            Show(sidecar),
            Replay(sidecar),
        };
    }

    private static Command List(Option<Uri> sidecar, TimeProvider timeProvider)
    {
        var topic = new Option<string>("--topic") { Description = "Only messages of this topic." };
        var app = new Option<string>("--app") { Description = "Only messages from this app id." };
        var since = new Option<DateTimeOffset?>("--since") { Description = Since.Help, CustomParser = result => Since.Parse(result, timeProvider) };
        var outcome = new Option<string>("--outcome") { Description = "Only messages with this outcome." };
        outcome.AcceptOnlyFromAmong("sent", "delivered", "dead-lettered", "dropped", "faulted");
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first (1 to 1000). Default: 100.", DefaultValueFactory = _ => 100 };
        var json = SidecarCall.JsonOption();
        var command = new Command("list", "List journaled messages, newest first.\n\nExamples:\n  busruntime messages list --since 10m\n  busruntime messages list --topic orders --outcome dead-lettered --json")
        {
            topic, app, since, outcome, limit, json,
        };
        command.SetAction((result, cancellationToken) => SidecarCall.RunAsync(result, result.GetRequiredValue(sidecar), async (channel, console, token) =>
        {
            var request = new ListMessagesRequest
            {
                Topic = result.GetValue(topic) ?? "",
                AppId = result.GetValue(app) ?? "",
                Outcome = result.GetValue(outcome) ?? "",
                Limit = result.GetValue(limit),
            };
            if (result.GetValue(since) is { } from)
            {
                request.Since = Timestamp.FromDateTimeOffset(from);
            }

            var response = await new Operations.OperationsClient(channel).ListMessagesAsync(request, cancellationToken: token);
            if (result.GetValue(json))
            {
                await result.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(response.Entries.Select(Summary), SidecarCall.ScriptJson));
                return 0;
            }

            var table = new Table().AddColumns(new TableColumn("Time (UTC)").NoWrap(), new TableColumn("Message id").NoWrap())
                .AddColumns("Kind", "Topic", "App", "Outcome", "Reason");
            foreach (var entry in response.Entries)
            {
                table.AddRow(
                    Markup.Escape(entry.RecordedAt.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)),
                    Markup.Escape(entry.MessageId),
                    Markup.Escape(entry.Kind),
                    Markup.Escape(entry.Topic),
                    Markup.Escape(entry.SourceAppId),
                    Outcome(entry),
                    Markup.Escape(entry.Reason));
            }

            console.Write(table);
            console.MarkupLine($"[grey]{response.Entries.Count} message(s). Details: busruntime messages show ID[/]");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Show(Option<Uri> sidecar)
    {
        var id = new Argument<string>("ID") { Description = "The message id, as messages list shows it." };
        var json = SidecarCall.JsonOption();
        var command = new Command("show", "Show one message: its history of outcomes, its headers and its body.\n\nExample:\n  busruntime messages show 0b3c0000-5d3a-0015-f7a1-08de2a1c5e7b")
        {
            id, json,
        };
        command.SetAction((result, cancellationToken) => SidecarCall.RunAsync(result, result.GetRequiredValue(sidecar), async (channel, console, token) =>
        {
            var response = await new Operations.OperationsClient(channel).GetMessageAsync(new GetMessageRequest { MessageId = result.GetRequiredValue(id) }, cancellationToken: token);
            if (result.GetValue(json))
            {
                await result.InvocationConfiguration.Output.WriteLineAsync(EveryField.Format(response));
                return 0;
            }

            var first = response.Entries[0];
            var facts = new Grid().AddColumns(2);
            facts.AddRow("[bold]Message id[/]", Markup.Escape(first.MessageId));
            facts.AddRow("[bold]Kind[/]", Markup.Escape(first.Kind));
            facts.AddRow("[bold]Topic[/]", Markup.Escape(first.Topic));
            facts.AddRow("[bold]Source app[/]", Markup.Escape(first.SourceAppId));
            facts.AddRow("[bold]Conversation id[/]", Markup.Escape(first.ConversationId));
            facts.AddRow("[bold]Correlation id[/]", Markup.Escape(first.CorrelationId));
            console.Write(facts);

            var history = new Table().AddColumns("Time (UTC)", "Outcome", "Retries", "Where", "Reason");
            foreach (var entry in response.Entries)
            {
                history.AddRow(
                    Markup.Escape(entry.RecordedAt.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)),
                    Outcome(entry),
                    entry.Retries.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(entry.DestinationAddress),
                    Markup.Escape(entry.Reason));
            }

            console.Write(new Rule("History") { Justification = Justify.Left });
            console.Write(history);
            var headers = new Table().AddColumns("Header", "Value");
            foreach (var (key, value) in first.Headers.OrderBy(header => header.Key, StringComparer.Ordinal))
            {
                headers.AddRow(Markup.Escape(key), Markup.Escape(value));
            }

            console.Write(new Rule("Headers") { Justification = Justify.Left });
            console.Write(headers);
            console.Write(new Rule("Body") { Justification = Justify.Left });
            if (response.Entries.Max(entry => entry.BodyOmittedBytes) is > 0 and var omitted)
            {
                console.MarkupLine($"[yellow]not kept: {omitted} bytes, over BusRuntime:Journal:MaxBodyBytes[/]");
            }
            else
            {
                WriteBody(console, response.Entries.Select(entry => entry.Body).FirstOrDefault(body => body.Length > 0) ?? "");
            }
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Replay(Option<Uri> sidecar)
    {
        var id = new Argument<string>("ID") { Description = "The id of a journaled topic event." };
        var toTopic = new Option<string>("--to-topic") { Description = "Send it to this topic (same pub/sub) instead of its own." };
        var toApp = new Option<string>("--to-app") { Description = "Send it only to this app's subscription queue, not to every subscriber." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would be sent; send nothing." };
        var json = SidecarCall.JsonOption();
        var command = new Command(
            "replay",
            "Send a journaled topic event again: same body and headers, a new message id, and the header busruntime-replay-of naming the original " +
            "(subscribers see it in the event's metadata, so they can tell a replay).\n\nExamples:\n" +
            "  busruntime messages replay ID --dry-run\n  busruntime messages replay ID --to-app billing\n  busruntime messages replay ID --json | jq -r .messageId")
        {
            id, toTopic, toApp, dryRun, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(toTopic) is not null && result.GetResult(toApp) is not null)
            {
                result.AddError("--to-topic and --to-app cannot be used together: a replay goes to a topic or to one app.");
            }
        });
        command.SetAction((result, cancellationToken) => SidecarCall.RunAsync(result, result.GetRequiredValue(sidecar), async (channel, console, token) =>
        {
            var request = new ReplayMessageRequest
            {
                MessageId = result.GetRequiredValue(id),
                ToTopic = result.GetValue(toTopic) ?? "",
                ToAppId = result.GetValue(toApp) ?? "",
                DryRun = result.GetValue(dryRun),
            };
            var response = await new Operations.OperationsClient(channel).ReplayMessageAsync(request, cancellationToken: token);
            foreach (var warning in response.Warnings)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"busruntime: warning: {warning}");
            }

            if (result.GetValue(json))
            {
                await result.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(
                    new
                    {
                        replayOf = request.MessageId,
                        messageId = request.DryRun ? null : response.MessageId,
                        dryRun = request.DryRun,
                        topic = response.Topic,
                        destination = response.DestinationAddress,
                        warnings = response.Warnings,
                    },
                    SidecarCall.ScriptJson));
                return 0;
            }

            console.MarkupLine(request.DryRun
                ? $"Would send message {Markup.Escape(request.MessageId)} again to {Markup.Escape(response.DestinationAddress)} (topic {Markup.Escape(response.Topic)})."
                : $"Replayed {Markup.Escape(request.MessageId)} as [bold]{Markup.Escape(response.MessageId)}[/] to {Markup.Escape(response.DestinationAddress)} (topic {Markup.Escape(response.Topic)}).");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static object Summary(JournalEntry entry) => new
    {
        messageId = entry.MessageId,
        topic = entry.Topic,
        appId = entry.SourceAppId,
        time = entry.RecordedAt.ToDateTimeOffset(),
        outcome = entry.Outcome,
        retries = entry.Retries,
        reason = entry.Reason,
    };

    private static string Outcome(JournalEntry entry)
    {
        var text = entry.Outcome == "delivered" && entry.Retries > 0 ? $"delivered after {entry.Retries} retries" : entry.Outcome;
        var color = entry.Outcome switch
        {
            "dead-lettered" or "faulted" => "red",
            "dropped" => "yellow",
            "delivered" => "green",
            _ => "default",
        };
        return $"[{color}]{Markup.Escape(text)}[/]";
    }

    /// <summary>A topic event's data is shown decoded, as JSON when it is JSON: that is what its publisher sent.</summary>
    private static void WriteBody(IAnsiConsole console, string body)
    {
        try
        {
            var node = JsonNode.Parse(body);
            if (node is JsonObject message && message["data"] is JsonValue data && data.TryGetValue<string>(out var base64))
            {
                var bytes = Convert.FromBase64String(base64);
                var text = Encoding.UTF8.GetString(bytes);
                try
                {
                    message["data"] = JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    message["data"] = text;
                }
            }

            console.WriteLine(node?.ToJsonString(SidecarCall.ScriptJson) ?? "null");
        }
        catch (Exception exception) when (exception is JsonException or FormatException)
        {
            console.WriteLine(body);
        }
    }
}
