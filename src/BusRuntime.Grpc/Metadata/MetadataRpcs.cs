using BusRuntime.Core.Configuration;
using BusRuntime.Core.Metadata;
using BusRuntime.Core.Subscriptions;
using BusRuntime.Protos.Dapr.Runtime.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BusRuntime.Grpc.Metadata;

/// <summary>The sidecar itself, on the gRPC APIs that ask about it (Dapr's): its metadata, the app's own entries in it, and shutting it down.</summary>
public sealed class MetadataRpcs(
    TopicSubscriptions subscriptions,
    ExtendedMetadata extendedMetadata,
    IOptions<RuntimeOptions> runtimeOptions,
    IOptions<ComponentsOptions> components,
    IOptions<AppChannelOptions> appCallback,
    IOptions<AppHealthOptions> appHealth,
    IHostApplicationLifetime lifetime)
{
    private static readonly Empty Done = new();

    public Task<GetMetadataResponse> GetMetadata(GetMetadataRequest request, ServerCallContext context)
    {
        var response = new GetMetadataResponse { Id = runtimeOptions.Value.AppId, RuntimeVersion = RuntimeVersion.Current };
        response.RegisteredComponents.AddRange(components.Value.Components.Select(component => new RegisteredComponents
        {
            Name = component.Name,
            Type = component.Type,
            Version = "v1",
        }));
        response.ExtendedMetadata.AddAll(extendedMetadata.List());
        // As daprd: each subscription of a topic listed with its own rules and dead-letter topic.
        response.Subscriptions.AddRange(subscriptions.List().SelectMany(subscription => subscription.Subscribers.Select(subscriber => new PubsubSubscription
        {
            PubsubName = subscription.PubsubName,
            Topic = subscription.Topic,
            Rules = new PubsubSubscriptionRules { Rules = { subscriber.Rules.Select(rule => new PubsubSubscriptionRule { Match = rule.Match, Path = rule.Path }) } },
            DeadLetterTopic = subscriber.DeadLetterTopic ?? "",
        })));
        if (appCallback.Value.Connection is { } app)
        {
            response.AppConnectionProperties = new AppConnectionProperties { Port = app.Port, Protocol = app.Protocol, ChannelAddress = app.ChannelAddress };
            if (appHealth.Value is { Enabled: true } health)
            {
                response.AppConnectionProperties.Health = new AppConnectionHealthProperties
                {
                    HealthCheckPath = health.CheckPath,
                    HealthProbeInterval = AppHealthOptions.GoDuration(health.ProbeInterval),
                    HealthProbeTimeout = AppHealthOptions.GoDuration(health.ProbeTimeout),
                    HealthThreshold = health.Threshold,
                };
            }
        }

        return Task.FromResult(response);
    }

    public Task<Empty> SetMetadata(SetMetadataRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        extendedMetadata.Set(request.Key, request.Value);
        return Task.FromResult(Done);
    }

    public Task<Empty> Shutdown(ShutdownRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Stop only once the answer is on its way, so that the caller sees OK rather than a broken call.
        context.GetHttpContext().Response.OnCompleted(() =>
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        });
        return Task.FromResult(Done);
    }
}
