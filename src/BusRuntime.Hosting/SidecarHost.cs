using BusRuntime.Actuator;
using BusRuntime.AppCallback;
using BusRuntime.Bindings;
using BusRuntime.Core;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Jobs;
using BusRuntime.Core.Resources;
using BusRuntime.Core.Secrets;
using BusRuntime.Core.Stores;
using BusRuntime.Core.Subscriptions;
using BusRuntime.Core.Transport;
using BusRuntime.Grpc;
using BusRuntime.Grpc.Requests;
using BusRuntime.Hosting.Ports;
using BusRuntime.Hosting.Workflows;
using BusRuntime.Http.Dapr;
using BusRuntime.Protos.Mapping;
using BusRuntime.Sagas;
using BusRuntime.Stores.InMemory;
using BusRuntime.Stores.Local;
using BusRuntime.Stores.Local.Secrets;
using BusRuntime.Stores.Postgres;
using BusRuntime.Stores.Postgres.Sagas;
using BusRuntime.Stores.Redis;
using BusRuntime.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Hosting;

/// <summary>Builds the sidecar: one web host serving gRPC on one port and, on another, the HTTP actuator and Dapr's HTTP API.</summary>
public static partial class SidecarHost
{
    /// <summary>
    /// Builds a sidecar. Configuration, later sources winning: appsettings.json, the <paramref name="configFile"/>,
    /// BusRuntime__* environment variables, then <paramref name="overrides"/> (the command-line flags).
    /// Throws <see cref="OptionsValidationException"/> or <see cref="InvalidOperationException"/>, naming the key, on bad configuration.
    /// </summary>
    public static WebApplication Build(IReadOnlyDictionary<string, string?> overrides, string? configFile = null, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (configFile is not null)
        {
            InsertBeforeEnvironment(builder.Configuration, Path.GetFullPath(configFile));
        }

        builder.Configuration.AddInMemoryCollection(overrides);
        logging?.Invoke(builder.Logging);

        // Dapr's component and subscription files (--resources-path) become components and settings after every
        // other source; a file that disagrees with those fails here rather than being overridden.
        var (resourcePaths, resourceContext) = ResourceContextOf(builder.Configuration);
        var resources = resourcePaths.Count == 0 ? ResourceSet.Empty : ResourceFiles.Load(resourcePaths, resourceContext);
        builder.Configuration.AddInMemoryCollection(resources.ToConfiguration(builder.Configuration.GetSection("BusRuntime:Components").GetChildren().Count()));
        builder.Services.AddSingleton(resources);
        var declared = new DeclaredSubscriptions(resources.Subscriptions);
        builder.Services.AddSingleton(declared);
        if (resourcePaths.Count > 0 && builder.Configuration.GetValue(HotReloadKey, true))
        {
            var interval = ReloadInterval(builder.Configuration);
            builder.Services.AddHostedService(provider =>
            {
                var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("BusRuntime.Resources");
                return new ResourceWatcher(
                    resources,
                    () => ResourceFiles.Fingerprint(resourcePaths),
                    () => ResourceFiles.Load(resourcePaths, resourceContext),
                    new ComponentReloader(provider.GetServices<IReloadableStores>(), declared, resourceContext.AppId, logger),
                    interval,
                    provider.GetRequiredService<TimeProvider>(),
                    logger);
            });
        }

        var sidecar = builder.Configuration.GetSection(RuntimeOptions.SectionName).Get<SidecarOptions>() ?? new SidecarOptions();
        var runtime = builder.Configuration.GetSection(RuntimeOptions.SectionName).Get<RuntimeOptions>() ?? new RuntimeOptions();
        builder.Services.AddOptions<SidecarOptions>().BindConfiguration(RuntimeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = sidecar.ShutdownTimeout);
        var listener = SidecarListener.From(sidecar, TimeProvider.System);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(listener.Address, sidecar.GrpcPort, listen => listener.Configure(listen, HttpProtocols.Http2));
            kestrel.Listen(listener.Address, sidecar.HttpPort, listen => listener.Configure(listen, HttpProtocols.Http1));
            kestrel.Limits.Http2.MaxStreamsPerConnection = sidecar.MaxStreamsPerConnection;
        });
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, LocalPortMatcherPolicy>());

        // The journal and the workflows follow the default stores: on PostgreSQL when BusRuntime:Postgres is set,
        // in memory otherwise.
        var stores = builder.Configuration.GetSection(RuntimeOptions.SectionName).Get<StoreOptions>() ?? new StoreOptions();
        var onPostgres = !string.IsNullOrWhiteSpace(stores.Postgres);
        if (onPostgres)
        {
            builder.Services.AddBusRuntimePostgresJournal();
            builder.Services.AddBusRuntimePostgresJobs();
            builder.Services.AddBusRuntimeSharedWorkflows<PostgresWorkflowInstances>();
        }
        else
        {
            builder.Services.AddBusRuntimeInMemoryJournal();
        }

        // Jobs follow them too: the in-memory store serves when the PostgreSQL one was not added above.
        builder.Services.AddBusRuntimeInMemoryJobs();
        builder.Services.TryAddSingleton<IJobDataJson, JobDataJson>();

        builder.Services
            .AddBusRuntimeCore()
            .AddBusRuntimeInMemoryStores()
            .AddBusRuntimeLocalStores()
            .AddBusRuntimePostgresStores()
            .AddBusRuntimeRedisStores()
            .AddBusRuntimeHttpBinding()
            .AddBusRuntimeCronBinding()
            .AddBusRuntimeJournal()
            .AddBusRuntimeBus(builder.Configuration, bus =>
            {
                if (onPostgres)
                {
                    bus.AddBusRuntimeWorkflowSaga(saga => saga.PostgresRepository(stores));
                }
            })
            .AddBusRuntimeWorkflows()
            .AddBusRuntimeJobs()
            .AddBusRuntimeAppCallback()
            .AddBusRuntimeGrpc(runtime.MaxPayloadBytes)
            .AddBusRuntimeActuator()
            .AddBusRuntimeTracing(builder.Configuration);

        var app = builder.Build();

        // Fail on bad configuration here, with the message alone, rather than from inside the host's start.
        app.Services.GetService<IStartupValidator>()?.Validate();
        EnsureStoresConfigured(app.Services, resources);
        resources.Log(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BusRuntime.Resources"));
        app.UseRouting();
        app.UseBusRuntimeHttpRequestLimits(sidecar.HttpPort, runtime.MaxPayloadBytes);
        app.UseBusRuntimeHttpApiToken(sidecar.HttpPort);
        app.UseBusRuntimeGrpcRequestChecks();
        // Each port serves its own surface, chosen by the port the connection arrived on (LocalPortMatcherPolicy).
        app.MapGroup("").WithMetadata(new ServedOnPort(sidecar.GrpcPort)).MapBusRuntimeGrpc();
        var http = app.MapGroup("").WithMetadata(new ServedOnPort(sidecar.HttpPort));
        http.MapBusRuntimeActuator();
        http.MapDaprHttpApi();
        app.Lifetime.ApplicationStarted.Register(() => LogServing(app.Services, sidecar, listener));
        return app;
    }

    private static void LogServing(IServiceProvider services, SidecarOptions sidecar, SidecarListener listener)
    {
        var runtime = services.GetRequiredService<IOptions<RuntimeOptions>>().Value;
        var transport = services.GetRequiredService<IBusTransport>();
        var components = services.GetRequiredService<IOptions<ComponentsOptions>>().Value.Components;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("BusRuntime.Sidecar");
        LogStarted(logger, runtime.AppId, listener.Scheme, sidecar.ListenAddress, sidecar.GrpcPort, sidecar.HttpPort, transport.Name,
            string.Join(", ", components.Select(component => $"{component.Name} ({component.Type})")));
        if (listener.IsLoopback)
        {
            return;
        }

        if (listener.Certificate is { } certificate)
        {
            LogBeyondLoopback(logger, sidecar.ListenAddress, sidecar.GrpcPort, sidecar.HttpPort, certificate.Subject, certificate.NotAfter.ToUniversalTime());
        }
        else
        {
            LogBeyondLoopbackInPlaintext(logger, sidecar.ListenAddress, sidecar.GrpcPort, sidecar.HttpPort);
        }
    }

    /// <summary>Whether a changed resource file reloads its component while the sidecar runs (Dapr 1.18's HotReload); default true.</summary>
    private const string HotReloadKey = "BusRuntime:ResourcesHotReload";

    /// <summary>How often the resource files are looked at for changes; default two seconds.</summary>
    private const string ReloadIntervalKey = "BusRuntime:ResourcesReloadInterval";

    private static TimeSpan ReloadInterval(ConfigurationManager configuration)
    {
        var interval = configuration.GetValue(ReloadIntervalKey, TimeSpan.FromSeconds(2));
        return interval >= TimeSpan.FromMilliseconds(100) && interval <= TimeSpan.FromHours(1)
            ? interval
            : throw new InvalidOperationException($"{ReloadIntervalKey} must be between 00:00:00.100 and 01:00:00.");
    }

    /// <summary>
    /// The resource paths and what reading them needs, taken before the files' own components join the configuration,
    /// so that reading them again (hot reload) sees the same configuration.
    /// </summary>
    private static (IReadOnlyList<string> Paths, ResourceContext Context) ResourceContextOf(ConfigurationManager configuration)
    {
        var paths = ResourceFiles.PathsFrom(configuration);
        var section = configuration.GetSection(RuntimeOptions.SectionName);
        var stores = section.Get<StoreOptions>() ?? new StoreOptions();
        var context = new ResourceContext(
            configuration["BusRuntime:AppId"] ?? "",
            section.Get<ComponentsOptions>()?.Components ?? [],
            SetOutsideAppSettings(configuration, "BusRuntime:Transport"),
            configuration["BusRuntime:RabbitMq"],
            (store, name) => ReadSecret(store, name, stores),
            Environment.GetEnvironmentVariable);
        return (paths, context);
    }

    /// <summary>A key's value when a source other than appsettings.json (which gives every default) sets it.</summary>
    private static string? SetOutsideAppSettings(IConfigurationRoot configuration, string key)
    {
        foreach (var provider in configuration.Providers.Reverse())
        {
            if (provider is JsonConfigurationProvider { Source.Path: { } path } && Path.GetFileName(path).StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (provider.TryGet(key, out var value))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>A secret of a secret store, for a resource file's secretKeyRef: read now, with the store's own implementation.</summary>
    private static string? ReadSecret(ComponentOptions store, string name, StoreOptions stores)
    {
        ISecretStore secrets = store.Type switch
        {
            ComponentTypes.SecretStoreLocalFile => LocalFileSecretStore.Create(store, stores),
            ComponentTypes.SecretStoreLocalEnv => EnvironmentSecretStore.Create(store),
            _ => throw new InvalidOperationException($"a {store.Type} store cannot be read at start-up."),
        };
        try
        {
            return secrets.GetAsync(name, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (RuntimeException unreadable)
        {
            throw new InvalidOperationException(unreadable.Message, unreadable);
        }
    }

    /// <summary>Creates every store now; a failure about a component of a resource file names the file too.</summary>
    private static void EnsureStoresConfigured(IServiceProvider services, ResourceSet resources)
    {
        try
        {
            services.EnsureStoresConfigured();
        }
        catch (InvalidOperationException failure) when (resources.Components.FirstOrDefault(declared =>
            failure.Message.Contains($"BusRuntime:Components[{declared.Component.Name}]", StringComparison.Ordinal)) is { } declared)
        {
            throw new InvalidOperationException($"{declared.File}: component {Quoted.Of(declared.Component.Name)}: {failure.Message}", failure);
        }
    }

    private static void InsertBeforeEnvironment(ConfigurationManager configuration, string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"--config: the file '{path}' does not exist.");
        }

        var sources = (IList<IConfigurationSource>)configuration.Sources;
        // Before the unprefixed environment variables (BusRuntime__*), after appsettings.json.
        var environmentIndex = sources.ToList().FindLastIndex(source => source is EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        var file = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Sources[0];
        sources.Insert(environmentIndex < 0 ? sources.Count : environmentIndex, file);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "BusRuntime sidecar for app {AppId} serving gRPC on {Scheme}://{Address}:{GrpcPort} and HTTP on {Scheme}://{Address}:{HttpPort}; transport {Transport}; components {Components}")]
    private static partial void LogStarted(ILogger logger, string appId, string scheme, string address, int grpcPort, int httpPort, string transport, string components);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "LISTENING BEYOND LOOPBACK: BusRuntime:ListenAddress {Address} lets other machines reach ports {GrpcPort} and {HttpPort}; they serve TLS only, with certificate {Subject} (valid until {NotAfter:u})")]
    private static partial void LogBeyondLoopback(ILogger logger, string address, int grpcPort, int httpPort, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning,
        Message = "LISTENING BEYOND LOOPBACK WITHOUT TLS: BusRuntime:ListenAddress {Address} lets other machines reach ports {GrpcPort} and {HttpPort} in plain text (BusRuntime:Tls:AllowPlaintext): the API token, state and events cross the network readable by anyone on its path")]
    private static partial void LogBeyondLoopbackInPlaintext(ILogger logger, string address, int grpcPort, int httpPort);
}
