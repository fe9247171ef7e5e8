using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace BusRuntime.Testing;

/// <summary>Starts a test app that serves one gRPC service instance on a free loopback port (HTTP/2, plaintext).</summary>
public static class GrpcAppHost
{
    /// <summary>Serves <paramref name="service"/>; picks new ports when another process took the first one.</summary>
    public static Task<(WebApplication App, int Port)> StartAsync<TService>(TService service, Action<GrpcServiceOptions>? configure = null)
        where TService : class =>
        FreePort.StartAsync(async () =>
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port, listen => listen.Protocols = HttpProtocols.Http2));
            builder.Services.AddGrpc(options => configure?.Invoke(options));
            builder.Services.AddSingleton(service);
            var app = builder.Build();
            app.MapGrpcService<TService>();
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
