using System.Text;
using BusRuntime.Contracts;
using BusRuntime.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Sidecar.Tests.Security;

/// <summary>Another app on a sidecar's in-memory bus, as its own sidecar or a .NET service would be on a bus they share.</summary>
internal static class OtherApp
{
    /// <summary>Sends a topic event with <paramref name="appId"/> as its source; returns its message id.</summary>
    public static async Task<string> SendTopicEventAsync(TestSidecar sidecar, string appId, string topic, string json)
    {
        var id = NewId.NextGuid();
        var exchange = await sidecar.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"exchange:{TopicNames.Exchange("pubsub", topic)}"));
        await exchange.Send(
            new TopicEvent { PubsubName = "pubsub", Topic = topic, Source = appId, Data = Encoding.UTF8.GetBytes(json) },
            context => context.MessageId = id);
        return id.ToString();
    }

    /// <summary>Publishes a change of <paramref name="appId"/>'s configuration as its sidecar does after a save; returns its message id.</summary>
    public static async Task<string> PublishConfigurationChangeAsync(TestSidecar sidecar, string appId, string content)
    {
        var id = NewId.NextGuid();
        await sidecar.Services.GetRequiredService<IBus>().Publish(
            new ConfigurationChanged { StoreName = "configstore", AppId = appId, Group = "default", Label = "default", Key = "secret", Content = content, Version = 1 },
            context => context.MessageId = id);
        return id.ToString();
    }
}
