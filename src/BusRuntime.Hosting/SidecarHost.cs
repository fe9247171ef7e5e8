using BusRuntime.Actuator;
using BusRuntime.AppCallback;
using BusRuntime.Bindings;
using BusRuntime.Core;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Transport;
using BusRuntime.Grpc;
using BusRuntime.Grpc.Requests;
using BusRuntime.Hosting.Ports;
using BusRuntime.Hosting.Workflows;
using BusRuntime.Http.Dapr;
using BusRuntime.Sagas;
using BusRuntime.Stores.InMemory;
using BusRuntime.Stores.Local;
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
            builder.Services.AddBusRuntimeSharedWorkflows<PostgresWorkflowInstances>();
        }
        else
        {
            builder.Services.AddBusRuntimeInMemoryJournal();
        }

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
            .AddBusRuntimeAppCallback()
            .AddBusRuntimeGrpc(runtime.MaxPayloadBytes)
            .AddBusRuntimeActuator()
            .AddBusRuntimeTracing(builder.Configuration);

        var app = builder.Build();

        // Fail on bad configuration here, with the message alone, rather than from inside the host's start.
        app.Services.GetService<IStartupValidator>()?.Validate();
        app.Services.EnsureStoresConfigured();
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
