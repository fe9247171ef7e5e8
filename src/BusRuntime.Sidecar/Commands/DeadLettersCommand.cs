using System.CommandLine;
using System.Text.Json;
using BusRuntime.Protos.V1;
using Spectre.Console;

namespace BusRuntime.Sidecar.Commands;

/// <summary><c>busruntime deadletters list|redrive</c>: the _error queues of a sidecar's subscriptions (RabbitMQ).</summary>
public static class DeadLettersCommand
{
    private static readonly JsonSerializerOptions ScriptJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var sidecar = SidecarCall.SidecarOption();
        return new Command("deadletters", "Dead letters: events whose retries ran out or that a subscriber dropped, kept in <queue>_error (RabbitMQ transport).")
        {
            sidecar,
            List(sidecar),
            Redrive(sidecar),
        };
    }

    private static Command List(Option<Uri> sidecar)
    {
        var queue = new Option<string>("--queue") { Description = "One subscription queue (or its _error queue). Default: every subscription of the sidecar." };
        var limit = new Option<int>("--limit") { Description = "Messages to show per queue (0 to 1000). Default: 20.", DefaultValueFactory = _ => 20 };
        var json = SidecarCall.JsonOption();
        var command = new Command("list", "List dead-letter queues and the messages in them; nothing is consumed.\n\nExample:\n  busruntime deadletters list --queue busruntime.app.billing.pubsub.orders")
        {
            queue, limit, json,
        };
        command.SetAction((result, cancellationToken) => SidecarCall.RunAsync(result, result.GetRequiredValue(sidecar), async (channel, console, token) =>
        {
            var response = await new Operations.OperationsClient(channel).ListDeadLettersAsync(
                new ListDeadLettersRequest { Queue = result.GetValue(queue) ?? "", Limit = result.GetValue(limit) }, cancellationToken: token);
            if (result.GetValue(json))
            {
                await result.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(
                    new
                    {
                        queues = response.Queues.Select(entry => new { name = entry.Name, sourceQueue = entry.SourceQueue, count = entry.Count }),
                        messages = response.Messages.Select(entry => new { messageId = entry.MessageId, queue = entry.Queue, reason = entry.Reason, faultedAt = entry.FaultedAt }),
                    },
                    ScriptJson));
                return 0;
            }

            var queues = new Table().AddColumns("Dead-letter queue", "Messages");
            foreach (var entry in response.Queues)
            {
                queues.AddRow(Markup.Escape(entry.Name), entry.Count < 0 ? "[grey]none yet[/]" : entry.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            console.Write(queues);
            if (response.Messages.Count > 0)
            {
                var messages = new Table().AddColumns(new TableColumn("Message id").NoWrap()).AddColumns("Queue", "Faulted at", "Reason");
                foreach (var entry in response.Messages)
                {
                    messages.AddRow(Markup.Escape(entry.MessageId), Markup.Escape(entry.Queue), Markup.Escape(entry.FaultedAt), Markup.Escape(entry.Reason));
                }

                console.Write(messages);
            }

            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Redrive(Option<Uri> sidecar)
    {
        var queue = new Option<string>("--queue") { Description = "One subscription queue (or its _error queue). Default: every subscription of the sidecar." };
        var id = new Option<string>("--id") { Description = "Redrive only the message with this id." };
        var all = new Option<bool>("--all") { Description = "Redrive every message of the queue(s)." };
        var command = new Command(
            "redrive",
            "Move dead letters back to their queue, one at a time: each leaves the dead-letter queue only after the broker confirmed the resend, " +
            "so an interrupted redrive loses nothing (a message may at worst be in both queues once).\n\nExamples:\n" +
            "  busruntime deadletters redrive --id 0b3c0000-5d3a-0015-f7a1-08de2a1c5e7b\n  busruntime deadletters redrive --queue busruntime.app.billing.pubsub.orders --all")
        {
            queue, id, all,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetResult(id) is null) == (result.GetResult(all) is null))
            {
                result.AddError("redrive needs exactly one of --id ID or --all.");
            }
        });
        command.SetAction((result, cancellationToken) => SidecarCall.RunAsync(result, result.GetRequiredValue(sidecar), async (channel, console, token) =>
        {
            var client = new Operations.OperationsClient(channel);
            var queues = (await client.ListDeadLettersAsync(new ListDeadLettersRequest { Queue = result.GetValue(queue) ?? "" }, cancellationToken: token)).Queues;
            var messageId = result.GetValue(id);
            if (messageId is not null)
            {
                foreach (var candidate in queues.Where(entry => entry.Count > 0))
                {
                    var moved = await client.RedriveDeadLetterAsync(new RedriveDeadLetterRequest { Queue = candidate.Name, MessageId = messageId }, cancellationToken: token);
                    if (moved.Moved)
                    {
                        console.MarkupLine($"Redrove {Markup.Escape(messageId)} from {Markup.Escape(candidate.Name)} to {Markup.Escape(candidate.SourceQueue)}.");
                        return 0;
                    }
                }

                await result.InvocationConfiguration.Error.WriteLineAsync($"busruntime: not found: message {messageId} is in none of the dead-letter queues ({string.Join(", ", queues.Select(entry => entry.Name))}).");
                return 1;
            }

            var total = 0;
            await console.Progress().StartAsync(async progress =>
            {
                foreach (var entry in queues.Where(entry => entry.Count > 0))
                {
                    var task = progress.AddTask(Markup.Escape(entry.Name), maxValue: entry.Count);
                    // Only as many as were there at the start: a redriven message that fails again is not chased in circles.
                    for (var i = 0; i < entry.Count; i++)
                    {
                        var moved = await RedriveOneAsync(client, entry.Name, token);
                        if (!moved)
                        {
                            break;
                        }

                        total++;
                        task.Increment(1);
                    }

                    task.Value = task.MaxValue;
                }
            });
            console.MarkupLine($"Redrove {total} message(s).");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static async Task<bool> RedriveOneAsync(Operations.OperationsClient client, string queue, CancellationToken cancellationToken) =>
        (await client.RedriveDeadLetterAsync(new RedriveDeadLetterRequest { Queue = queue }, cancellationToken: cancellationToken)).Moved;
}
