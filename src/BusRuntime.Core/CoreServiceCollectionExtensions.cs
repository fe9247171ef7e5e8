using BusRuntime.Contracts;
using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.DeadLetters;
using BusRuntime.Core.Files;
using BusRuntime.Core.Health;
using BusRuntime.Core.Hello;
using BusRuntime.Core.Invoke;
using BusRuntime.Core.Invoke.AccessControl;
using BusRuntime.Core.Journal;
using BusRuntime.Core.Locks;
using BusRuntime.Core.Metadata;
using BusRuntime.Core.PubSub;
using BusRuntime.Core.Resilience;
using BusRuntime.Core.Secrets;
using BusRuntime.Core.Security;
using BusRuntime.Core.Sequences;
using BusRuntime.Core.State;
using BusRuntime.Core.Stores;
using BusRuntime.Core.Subscriptions;
using BusRuntime.Core.Transport;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runtime's options (validated at start-up) and its primitives: pub/sub, service invocation,
    /// state, locks, sequences, configuration, secrets, files, output bindings and greetings (hello.helloworld is
    /// here). The other components' implementations come from AddBusRuntimeInMemoryStores, AddBusRuntimePostgresStores,
    /// AddBusRuntimeLocalStores, AddBusRuntimeHttpBinding and AddBusRuntimeBus (bindings.rabbitmq).
    /// </summary>
    public static IServiceCollection AddBusRuntimeCore(this IServiceCollection services)
    {
        services.AddOptions<RuntimeOptions>().BindConfiguration(RuntimeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            // Dapr's variable, so a Dapr app's deployment works as it is; BusRuntime:ApiToken wins when both are set.
            .PostConfigure<IConfiguration>((runtime, configuration) =>
            {
                runtime.ApiToken = string.IsNullOrEmpty(runtime.ApiToken) ? configuration["DAPR_API_TOKEN"] : runtime.ApiToken;
                runtime.OperatorToken = string.IsNullOrEmpty(runtime.OperatorToken) ? configuration[OperatorTokenGuard.EnvironmentVariable] : runtime.OperatorToken;
            });
        services.TryAddSingleton<ApiTokenGuard>();
        services.TryAddSingleton<OperatorTokenGuard>();
        services.AddOptions<AppChannelOptions>().BindConfiguration(RuntimeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            .PostConfigure<IConfiguration>((app, configuration) =>
                app.AppApiToken = string.IsNullOrEmpty(app.AppApiToken) ? configuration[AppApiTokenHeader.EnvironmentVariable] : app.AppApiToken);
        services.AddOptions<AppHealthOptions>().BindConfiguration(AppHealthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<AppHealth>();
        services.AddOptions<StoreOptions>().BindConfiguration(RuntimeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ComponentsOptions>().BindConfiguration(RuntimeOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ComponentsOptions>, DefaultComponents>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ComponentsOptions>, ComponentsOptionsValidator>());
        services.AddOptions<PubSubOptions>().BindConfiguration(PubSubOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<PubSubMetrics>();
        services.TryAddSingleton<PubSubComponents>();
        services.AddSingleton<IReloadableStores>(provider => provider.GetRequiredService<PubSubComponents>());
        services.TryAddSingleton<SendInterruptions>();
        services.AddSendObserver(provider => provider.GetRequiredService<SendInterruptions>());
        services.TryAddSingleton<TopicPublisher>();
        services.TryAddSingleton<TopicSubscriptions>();
        services.TryAddSingleton(new DeclaredSubscriptions());
        services.TryAddSingleton<DeadLetterOperations>();
        services.TryAddSingleton<ExtendedMetadata>();

        services.AddOptions<InvokeOptions>().BindConfiguration(InvokeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<InvokeOptions>, InvokeTargetsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InvokeOptions>, InvokeOptionsValidator>());
        services.AddOptions<AccessControlOptions>().BindConfiguration(AccessControlOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccessControlOptions>, AccessControlOptionsValidator>());
        services.TryAddSingleton<InvokeAccessControl>();
        services.TryAddSingleton<InvokeMetrics>();
        services.AddBusRuntimeResiliencePipeline<InvokeResponse>(ResiliencePipelines.Invoke, InvokeGovernance.Configure);
        services.TryAddSingleton<InvokeGovernance>();
        services.TryAddSingleton<InvokeServer>();
        services.TryAddSingleton<ServiceInvoker>();

        services.TryAddSingleton<StoreMetrics>();
        services.TryAddSingleton(provider => CreateStores<IStateStore>(provider, ComponentKind.State));
        services.TryAddSingleton(provider => CreateStores<ILockStore>(provider, ComponentKind.Lock));
        services.TryAddSingleton(provider => CreateStores<ISequenceStore>(provider, ComponentKind.Sequencer));
        services.TryAddSingleton(provider => CreateStores<IConfigurationStore>(provider, ComponentKind.Configuration));
        services.TryAddSingleton(provider => CreateStores<ISecretStore>(provider, ComponentKind.SecretStores));
        services.AddSingleton<IReloadableStores>(provider => provider.GetRequiredService<NamedStores<IStateStore>>());
        services.AddSingleton<IReloadableStores>(provider => provider.GetRequiredService<NamedStores<ILockStore>>());
        services.AddSingleton<IReloadableStores>(provider => provider.GetRequiredService<NamedStores<IConfigurationStore>>());
        services.AddSingleton<IReloadableStores>(provider => provider.GetRequiredService<NamedStores<ISecretStore>>());
        services.TryAddSingleton<StateManager>();
        services.TryAddSingleton<LockManager>();
        services.TryAddSingleton<Sequencer>();
        services.AddBusRuntimeResiliencePipeline(ResiliencePipelines.ConfigurationReread, ConfigurationWatch.ConfigureReread);
        services.TryAddSingleton<ConfigurationSubscriptions>();
        services.TryAddSingleton<AppConfigurationManager>();
        services.TryAddSingleton<SecretManager>();
        services.TryAddSingleton(provider => CreateStores<IFileStore>(provider, ComponentKind.File));
        services.TryAddSingleton<FileManager>();
        services.TryAddSingleton(provider => CreateStores<IOutputBinding>(provider, ComponentKind.Bindings));
        services.AddSingleton<IReloadableStores>(provider => provider.GetRequiredService<NamedStores<IOutputBinding>>());
        services.TryAddSingleton<BindingInvoker>();
        services.AddSingleton<IStoreFactory<IHelloService>>(new StoreFactory<IHelloService>(ComponentTypes.HelloWorld, HelloWorld.Create));
        services.TryAddSingleton(provider => CreateStores<IHelloService>(provider, ComponentKind.Hello));
        services.TryAddSingleton<HelloManager>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HealthCheckServiceOptions>, StoreHealthChecks>());
        services.AddHealthChecks();
        services.TryAddSingleton<Readiness>();
        services.AddSingleton<IHealthCheckPublisher>(provider => provider.GetRequiredService<Readiness>());
        services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = TimeSpan.FromSeconds(1);
            publisher.Predicate = Readiness.IsReadinessCheck;
        });
        services.AddHostedService<ExpiredEntrySweeper>();
        return services;
    }

    /// <summary>
    /// Adds the message journal: observers on the bus record what it sends, publishes and consumes, and a
    /// background writer stores the entries in batches. The <see cref="IJournalStore"/> comes from
    /// AddBusRuntimeInMemoryJournal or AddBusRuntimePostgresJournal.
    /// </summary>
    public static IServiceCollection AddBusRuntimeJournal(this IServiceCollection services)
    {
        services.AddOptions<JournalOptions>().BindConfiguration(JournalOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<JournalMetrics>();
        services.TryAddSingleton<MessageJournal>();
        services.TryAddSingleton<JournalObserver>();
        services.AddSendObserver(provider => provider.GetRequiredService<JournalObserver>());
        services.AddPublishObserver(provider => provider.GetRequiredService<JournalObserver>());
        services.AddReceiveObserver(provider => provider.GetRequiredService<JournalObserver>());
        services.TryAddSingleton<MessageReplayer>();
        services.AddHostedService<JournalWriter>();
        services.AddHostedService<JournalSweeper>();
        return services;
    }

    /// <summary>
    /// Creates every store component and reads its settings now, so that a component configuration the
    /// sidecar cannot serve stops start-up with an <see cref="InvalidOperationException"/> naming the key.
    /// </summary>
    public static void EnsureStoresConfigured(this IServiceProvider services)
    {
        services.GetRequiredService<StateManager>();
        services.GetRequiredService<LockManager>();
        services.GetRequiredService<Sequencer>();
        services.GetRequiredService<AppConfigurationManager>();
        services.GetRequiredService<SecretManager>();
        services.GetRequiredService<FileManager>();
        services.GetRequiredService<BindingInvoker>();
        services.GetRequiredService<HelloManager>();
    }

    private static NamedStores<TStore> CreateStores<TStore>(IServiceProvider provider, ComponentKind kind)
        where TStore : class => new(
            kind,
            provider.GetRequiredService<IOptions<ComponentsOptions>>().Value.Components,
            provider.GetServices<IStoreFactory<TStore>>(),
            provider.GetRequiredService<IOptions<RuntimeOptions>>().Value.AppId);
}
