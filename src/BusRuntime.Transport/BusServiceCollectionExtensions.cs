using System.Net.Security;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.DeadLetters;
using BusRuntime.Core.Stores;
using BusRuntime.Core.Transport;
using BusRuntime.Transport.InMemory;
using BusRuntime.Transport.RabbitMq;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Transport;

public static class BusServiceCollectionExtensions
{
    private static readonly TimeSpan ClusterConnectTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Adds the MassTransit bus on the transport configuration names. The choice is made here, at
    /// start-up, so a bad transport name or broker address stops the sidecar before it serves anything.
    /// <paramref name="registrations"/> adds consumers and sagas to the bus's registration (MassTransit allows
    /// one), for endpoints that configure them from it.
    /// </summary>
    public static IServiceCollection AddBusRuntimeBus(this IServiceCollection services, IConfiguration configuration, Action<IBusRegistrationConfigurator>? registrations = null)
    {
        var options = configuration.GetSection("BusRuntime").Get<TransportOptions>() ?? new TransportOptions();
        services.AddOptions<TransportOptions>().BindConfiguration("BusRuntime");
        // On either transport: a binding may name a broker of its own, and without one it takes BusRuntime:RabbitMq.
        services.AddSingleton<IStoreFactory<IOutputBinding>>(_ =>
            new StoreFactory<IOutputBinding>(ComponentTypes.BindingsRabbitMq, component => RabbitMqOutputBinding.Create(component, options.RabbitMq, options.RabbitMqCaCertificate)));
        services.AddSingleton<IStoreFactory<IInputBinding>>(provider =>
            new StoreFactory<IInputBinding>(ComponentTypes.BindingsRabbitMq, component => RabbitMqInputBinding.Create(
                component,
                options.RabbitMq,
                options.RabbitMqCaCertificate,
                provider.GetRequiredService<IOptions<RuntimeOptions>>().Value.MaxPayloadBytes,
                provider.GetRequiredService<ILoggerFactory>().CreateLogger<RabbitMqInputBinding>())));

        if (string.Equals(options.Transport, TransportOptions.InMemoryName, StringComparison.OrdinalIgnoreCase))
        {
            services.TryAddSingleton<IBusTransport, InMemoryBusTransport>();
            // MassTransit's usage reports to its vendor are off: a sidecar sends nothing anywhere its operator
            // did not configure.
            services.AddMassTransit(bus =>
            {
                bus.DisableUsageTelemetry();
                registrations?.Invoke(bus);
                bus.UsingInMemory();
            });
        }
        else if (string.Equals(options.Transport, TransportOptions.RabbitMqName, StringComparison.OrdinalIgnoreCase))
        {
            var nodes = RabbitMqNodes.Parse(options.RabbitMq, options.RabbitMqCaCertificate);
            var address = nodes.First;
            var tls = nodes.Tls;
            var quorumQueues = QuorumQueues(options.RabbitMqQueues, nodes);
            var directReplyTo = string.Equals(options.InvokeReplies, TransportOptions.DirectReplyToName, StringComparison.OrdinalIgnoreCase);
            if (!directReplyTo && !string.Equals(options.InvokeReplies, TransportOptions.ResponseQueueName, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"BusRuntime:InvokeReplies '{options.InvokeReplies}' is not one of: {string.Join(", ", TransportOptions.AllowedInvokeReplies)}.");
            }

            services.TryAddSingleton<IBusTransport>(new RabbitMqBusTransport(quorumQueues));
            services.TryAddSingleton(nodes);
            services.TryAddSingleton(tls);
            services.TryAddSingleton<BrokerConnectionFailure>();
            services.AddReceiveEndpointObserver(provider => provider.GetRequiredService<BrokerConnectionFailure>());
            services.TryAddSingleton<BusConnection>();
            services.TryAddSingleton<ConnectionLossWatch>();
            services.AddReceiveEndpointObserver(provider => provider.GetRequiredService<ConnectionLossWatch>());
            if (quorumQueues)
            {
                services.TryAddSingleton<RejectedPublishRecovery>();
                services.AddSendObserver(provider => provider.GetRequiredService<RejectedPublishRecovery>());
            }

            services.PostConfigure<HealthCheckServiceOptions>(health =>
            {
                foreach (var check in health.Registrations.Where(check => check.Name.StartsWith("masstransit", StringComparison.Ordinal)))
                {
                    var factory = check.Factory;
                    check.Factory = provider => new BrokerHealthCheck(factory(provider), provider.GetRequiredService<BrokerConnectionFailure>(), provider.GetRequiredService<ConnectionLossWatch>());
                }
            });
            services.TryAddSingleton<IDeadLetterQueues, RabbitMqDeadLetterQueues>();
            services.AddMassTransit(bus =>
            {
                bus.DisableUsageTelemetry();
                registrations?.Invoke(bus);

                // Invoke answers come back through RabbitMQ's direct reply-to rather than MassTransit's
                // temporary queue per bus: with 100 calls in flight that queue stalled requests for minutes
                // (docs/benchmarks.md).
                if (directReplyTo)
                {
                    bus.SetRabbitMqReplyToRequestClientFactory();
                }

                bus.UsingRabbitMq((context, rabbitMq) =>
                {
                    var appId = context.GetRequiredService<IOptions<Core.Configuration.RuntimeOptions>>().Value.AppId;
                    rabbitMq.Host(address.Host, (ushort)address.Port, address.VirtualHost, host =>
                    {
                        // Shown by rabbitmqctl list_connections user_provided_name: which app's sidecar is on which node.
                        host.ConnectionName($"busruntime {appId}");
                        host.Username(address.Username);
                        host.Password(address.Password);
                        host.PublisherConfirmation = true;

                        // Every connection tries every node, starting after the one the last connection went to.
                        host.OnRefreshConnectionFactory = factory =>
                        {
                            factory.EndpointResolverFactory = _ => nodes.Resolver;
                            return Task.CompletedTask;
                        };
                        if (nodes.IsCluster)
                        {
                            // A node that is down but whose host answers refuses at once; one whose host is gone costs
                            // this much before the next node is tried (MassTransit's default is 10 s).
                            host.RequestedConnectionTimeout(ClusterConnectTimeout);
                        }

                        if (address.Tls)
                        {
                            host.UseSsl(ssl =>
                            {
                                ssl.ServerName = address.Host;
                                ssl.Protocol = RabbitMqTls.Protocols;
                                ssl.EnforcePolicyErrors(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable);
                                ssl.CertificateValidationCallback = tls.Validate;
                            });
                        }
                    });

                    // MassTransit holds no connection while nothing consumes, so a sidecar without
                    // subscriptions would stay "healthy" with the broker gone. A consumer on this
                    // sidecar's own temporary queue keeps the bus's health tied to the broker.
                    rabbitMq.ReceiveEndpoint(new AppTemporaryEndpoint(appId, "sidecar"), endpoint => endpoint.ConfigureConsumeTopology = false);
                });
            });
        }
        else
        {
            throw new InvalidOperationException(
                $"BusRuntime:Transport '{options.Transport}' is not one of: {string.Join(", ", TransportOptions.Allowed)}.");
        }

        // The sidecar connects its endpoints at runtime and reports readiness itself, so start-up never
        // blocks on a broker that is not there yet, and its stop is bounded (BusLifetime). Messages still being
        // consumed get half the host's shutdown timeout to finish; then they are cancelled and redelivered, which
        // leaves the other half for acknowledging, draining the journal and closing the connection.
        services.RemoveMassTransitHostedService();
        services.AddHostedService<BusLifetime>();
        services.AddOptions<MassTransitHostOptions>()
            .Configure<IOptions<HostOptions>>((bus, host) => bus.ConsumerStopTimeout = host.Value.ShutdownTimeout / 2);
        return services;
    }

    private static bool QuorumQueues(string queues, RabbitMqNodes nodes) =>
        string.Equals(queues, TransportOptions.AutoQueuesName, StringComparison.OrdinalIgnoreCase) ? nodes.IsCluster
        : string.Equals(queues, TransportOptions.QuorumQueuesName, StringComparison.OrdinalIgnoreCase) ? true
        : string.Equals(queues, TransportOptions.ClassicQueuesName, StringComparison.OrdinalIgnoreCase) ? false
        : throw new InvalidOperationException(
            $"{TransportOptions.QueuesKey} '{queues}' is not one of: {string.Join(", ", TransportOptions.AllowedQueues)}.");
}
