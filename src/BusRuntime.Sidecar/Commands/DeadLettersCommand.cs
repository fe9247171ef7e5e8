using System.CommandLine;
using System.Text.Json;
using BusRuntime.Protos.V1;
using Grpc.Core;
using Spectre.Console;

namespace BusRuntime.Sidecar.Commands;

/// <summary><c>busruntime deadletters list|redrive</c>: the _error queues of a sidecar's subscriptions (RabbitMQ).</summary>
public static class DeadLettersCommand
{
    public static Command Create()
    {
        var sidecar = SidecarCall.SidecarOption();
        return new Command("deadletters", "Dead letters: events whose retries ran out or that a subscriber dropped, kept in <queue>_error (RabbitMQ transport). " +
            "The sidecar's app's queues; another app's and the shared workflow queues with BUSRUNTIME_OPERATOR_TOKEN.")
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
                    SidecarCall.ScriptJson));
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
        var json = SidecarCall.JsonOption();
        var command = new Command(
            "redrive",
            "Move dead letters back to their queue, one at a time: each leaves the dead-letter queue only after the broker confirmed the resend, " +
            "so an interrupted redrive loses nothing (a message may at worst be in both queues once).\n\nExamples:\n" +
            "  busruntime deadletters redrive --id 0b3c0000-5d3a-0015-f7a1-08de2a1c5e7b\n  busruntime deadletters redrive --queue busruntime.app.billing.pubsub.orders --all\n" +
            "  busruntime deadletters redrive --all --json | jq .count")
        {
            queue, id, all, json,
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
            var scripted = result.GetValue(json);
            var moved = new List<(DeadLetter Message, string To)>();
            var messageId = result.GetValue(id);
            if (messageId is not null)
            {
                foreach (var candidate in queues.Where(entry => entry.Count > 0))
                {
                    var response = await client.RedriveDeadLetterAsync(new RedriveDeadLetterRequest { Queue = candidate.Name, MessageId = messageId }, cancellationToken: token);
                    if (response.Moved)
                    {
                        moved.Add((response.Message, candidate.SourceQueue));
                        if (!scripted)
                        {
                            console.MarkupLine($"Redrove {Markup.Escape(messageId)} from {Markup.Escape(candidate.Name)} to {Markup.Escape(candidate.SourceQueue)}.");
                        }

                        break;
                    }
                }

                if (moved.Count == 0)
                {
                    await result.InvocationConfiguration.Error.WriteLineAsync($"busruntime: not found: message {messageId} is in none of the dead-letter queues ({string.Join(", ", queues.Select(entry => entry.Name))}).");
                    return 1;
                }
            }
            else
            {
                try
                {
                    await RedriveAllAsync(client, queues, moved, scripted ? null : console.Progress(), token);
                }
                catch (RpcException exception) when (exception.StatusCode == StatusCode.Cancelled && token.IsCancellationRequested)
                {
                    await result.InvocationConfiguration.Error.WriteLineAsync(
                        $"busruntime: interrupted after redriving {moved.Count} message(s); the others are still in their dead-letter queues (the one in flight, if any, may be in both once).");
                    return 1;
                }

                if (!scripted)
                {
                    console.MarkupLine($"Redrove {moved.Count} message(s).");
                }
            }

            if (scripted)
            {
                await result.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(
                    new { count = moved.Count, messages = moved.Select(entry => new { messageId = entry.Message.MessageId, from = entry.Message.Queue, to = entry.To }) },
                    SidecarCall.ScriptJson));
            }

            return 0;
        }, cancellationToken));
        return command;
    }

    /// <summary>
    /// Redrives as many messages as each queue held when it started, so a redriven message that fails again is not
    /// chased in circles; with a progress bar unless <paramref name="progress"/> is null (output for scripts).
    /// </summary>
    private static async Task RedriveAllAsync(
        Operations.OperationsClient client, IEnumerable<DeadLetterQueue> queues, List<(DeadLetter Message, string To)> moved, Progress? progress, CancellationToken cancellationToken)
    {
        var pending = queues.Where(entry => entry.Count > 0).ToList();
        if (progress is null)
        {
            foreach (var entry in pending)
            {
                await RedriveQueueAsync(client, entry, moved, null, cancellationToken);
            }

            return;
        }

        await progress.StartAsync(async context =>
        {
            foreach (var entry in pending)
            {
                var task = context.AddTask(Markup.Escape(entry.Name), maxValue: entry.Count);
                await RedriveQueueAsync(client, entry, moved, task, cancellationToken);
                task.Value = task.MaxValue;
            }
        });
    }

    private static async Task RedriveQueueAsync(
        Operations.OperationsClient client, DeadLetterQueue queue, List<(DeadLetter Message, string To)> moved, ProgressTask? task, CancellationToken cancellationToken)
    {
        for (var i = 0; i < queue.Count; i++)
        {
            var response = await client.RedriveDeadLetterAsync(new RedriveDeadLetterRequest { Queue = queue.Name }, cancellationToken: cancellationToken);
            if (!response.Moved)
            {
                return;
            }

            moved.Add((response.Message, queue.SourceQueue));
            task?.Increment(1);
        }
    }
}
