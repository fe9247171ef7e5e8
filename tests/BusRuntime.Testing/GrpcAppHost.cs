using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace BusRuntime.Testing;

/// <summary>Starts a test app that serves one gRPC service instance on a free loopback port (HTTP/2, plaintext).</summary>
public static class GrpcAppHost
{
    /// <summary>Serves <paramref name="service"/>; picks new ports when another process took the first one.</summary>
    public static Task<(WebApplication App, int Port)> StartAsync<TService>(TService service, Action<GrpcServiceOptions>? configure = null)
        where TService : class =>
        StartAsync(services => services.AddSingleton(service), app => app.MapGrpcService<TService>(), configure);

    /// <summary>Serves two services on one port, as an app serving Dapr's AppCallback and AppCallbackAlpha does.</summary>
    public static Task<(WebApplication App, int Port)> StartAsync<TService, TOther>(TService service, TOther other)
        where TService : class
        where TOther : class =>
        StartAsync(
            services => services.AddSingleton(service).AddSingleton(other),
            app =>
            {
                app.MapGrpcService<TService>();
                app.MapGrpcService<TOther>();
            },
            null);

    private static Task<(WebApplication App, int Port)> StartAsync(
        Action<IServiceCollection> register, Action<WebApplication> map, Action<GrpcServiceOptions>? configure) =>
        FreePort.StartAsync(async () =>
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port, listen => listen.Protocols = HttpProtocols.Http2));
            builder.Services.AddGrpc(options => configure?.Invoke(options));
            register(builder.Services);
            var app = builder.Build();
            map(app);
            try
            {
                await app.StartAsync();
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }

            return (app, port);
        });
}
