using System.Text.RegularExpressions;

namespace BusRuntime.Transport.RabbitMq;

/// <summary>
/// The narrowest RabbitMQ permissions (configure, write, read regular expressions, as <c>rabbitmqctl set_permissions</c>
/// takes them) with which a sidecar of one app works: what it declares, sends to and consumes, and nothing of another
/// app's own (its subscription and invoke queues, its temporary queues, the invoke requests sent to it).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Configure (declare, and so also delete): the app's own queues and their exchanges
/// <c>busruntime.app.{appId}.*</c> (subscriptions with their _error and _skipped, the invoke queue, the temporary
/// queues), every topic exchange <c>busruntime.topic.*</c> and invoke exchange <c>busruntime.invoke.*</c> (a sender
/// declares what it sends to), the shared workflow queues <c>{WorkflowQueuePrefix}-*</c>, the message-type exchanges
/// of the events sidecars publish (<c>BusRuntime.Contracts:*</c>) and MassTransit's fault exchanges.</item>
/// <item>Write (send; bind a queue): the same names but the other apps' own; the default exchange for the answers
/// to invocations (RabbitMQ's direct reply-to).</item>
/// <item>Read (consume; bind from an exchange): the app's own queues, the topic exchanges (to subscribe), its own
/// invoke exchange only, the ConfigurationChanged exchange and the shared workflow queues.</item>
/// </list>
/// Narrower still is possible: only the topics an app publishes (write) or subscribes to (read), only the apps it calls.
/// </remarks>
public sealed record RabbitMqPermissions(string Configure, string Write, string Read)
{
    /// <summary>The permissions of a sidecar of <paramref name="appId"/> whose workflows use queues named after <paramref name="workflowQueuePrefix"/>.</summary>
    public static RabbitMqPermissions For(string appId, string workflowQueuePrefix = "busruntime-workflow")
    {
        ArgumentNullException.ThrowIfNull(appId);
        ArgumentNullException.ThrowIfNull(workflowQueuePrefix);
        var own = $@"busruntime\.app\.{Regex.Escape(appId)}\..*";
        var workflows = $"{Regex.Escape(workflowQueuePrefix)}-.*";
        const string Topics = @"busruntime\.topic\..*";
        const string Invokes = @"busruntime\.invoke\..*";
        const string Events = @"BusRuntime\.Contracts:.*";
        const string Faults = "MassTransit:Fault--.*";

        // The answer to an invocation goes back by RabbitMQ's direct reply-to: a publish to the default exchange.
        const string DefaultExchange = @"amq\.default";
        return new RabbitMqPermissions(
            Any(own, Topics, Invokes, workflows, Events, Faults),
            Any(own, Topics, Invokes, workflows, Events, Faults, DefaultExchange),
            Any(own, Topics, $@"busruntime\.invoke\.{Regex.Escape(appId)}", workflows, @"BusRuntime\.Contracts:ConfigurationChanged"));
    }

    private static string Any(params string[] patterns) => $"^({string.Join('|', patterns)})$";
}
