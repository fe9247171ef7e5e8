using BusRuntime.Contracts;
using MassTransit;

namespace BusRuntime.Core.AppConfiguration;

/// <summary>Hands each change event to the watches that follow its item.</summary>
internal sealed class ConfigurationChangedConsumer(ConfigurationSubscriptions subscriptions, Uri busAddress) : IConsumer<ConfigurationChanged>
{
    public Task Consume(ConsumeContext<ConfigurationChanged> context)
    {
        // Every bus has an address of its own, and what it publishes carries it as the source: an event
        // from this sidecar may concern a store only this sidecar holds (in memory).
        subscriptions.Dispatch(context.Message, context.SourceAddress == busAddress);
        return Task.CompletedTask;
    }
}
