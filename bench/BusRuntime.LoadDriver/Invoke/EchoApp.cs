using BusRuntime.LoadDriver.Sidecar;
using BusRuntime.Protos.Dapr.Common.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BusRuntime.LoadDriver.Invoke;

/// <summary>App B: serves Dapr's AppCallback.OnInvoke on a loopback port in this process and answers with the request's bytes.</summary>
public sealed class EchoApp : IAsyncDisposable
{
    private readonly WebApplication app;

    private EchoApp(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<EchoApp> StartAsync(CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<Echo>();
        await app.StartAsync(cancellationToken);
        return new EchoApp(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private sealed class Echo : Protos.Dapr.Runtime.V1.AppCallback.AppCallbackBase
    {
        public override Task<InvokeResponse> OnInvoke(InvokeRequest request, ServerCallContext context) =>
            Task.FromResult(new InvokeResponse { Data = request.Data, ContentType = request.ContentType });
    }
}
