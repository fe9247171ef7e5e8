using System.Net;
using System.Reflection;

namespace BusRuntime.Sidecar.WebConsole;

/// <summary>
/// The web console: server-rendered pages over the sidecar's Operations API, its script and style embedded in the
/// executable. It holds the operator's tokens, so it answers only requests addressed to it by a loopback name when it
/// listens on loopback (a page of another site that rebinds its name to 127.0.0.1 is refused), every POST must come
/// from its own pages (<see cref="Forms"/>), and no other site may frame it.
/// </summary>
public sealed class ConsoleServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private ConsoleServer(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    /// <summary>Where the console serves, e.g. http://127.0.0.1:7300/.</summary>
    public Uri Address { get; }

    public static async Task<ConsoleServer> StartAsync(ConsoleOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(options.Listen, options.Port));
        // A port already taken is said in one line by the command; the host's own report of it is a stack trace.
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<FormToken>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => new ConsoleSidecar(options.Sidecar, options.Tokens));
        var app = builder.Build();
        var loopback = IPAddress.IsLoopback(options.Listen);
        app.Use(async (context, next) =>
        {
            if (loopback && !IsLoopbackName(context.Request.Host.Host))
            {
                context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                await context.Response.WriteAsync("The BusRuntime console answers requests to 127.0.0.1, [::1] or localhost only.", context.RequestAborted);
                return;
            }

            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; form-action 'self'";
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            // Not no-referrer: with it, the browser sends "Origin: null" with the console's own forms.
            headers["Referrer-Policy"] = "same-origin";
            headers.CacheControl = "no-store";
            await next(context);
        });
        app.UseRouting();
        app.MapGet("/", () => Results.Redirect("/messages"));
        MapAsset(app, "console.css", "text/css; charset=utf-8");
        MapAsset(app, "console.js", "text/javascript; charset=utf-8");
        MessagePages.Map(app);
        DeadLetterPages.Map(app);
        WorkflowPages.Map(app);
        HealthPage.Map(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var served = app.Urls.First();
        var port = new Uri(served).Port;
        var host = options.Listen.Equals(IPAddress.Any) ? IPAddress.Loopback : options.Listen.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : options.Listen;
        return new ConsoleServer(app, new UriBuilder(Uri.UriSchemeHttp, host.ToString(), port).Uri);
    }

    /// <summary>Waits until the console is asked to stop: SIGTERM or Ctrl+C (which the host takes), or <paramref name="cancellationToken"/>.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    private static void MapAsset(IEndpointRouteBuilder routes, string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"BusRuntime.Sidecar.WebConsole.Assets.{name}")
            ?? throw new InvalidOperationException($"The console's asset {name} is not embedded in the executable.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        routes.MapGet($"/assets/{name}", () => Results.Bytes(bytes, contentType));
    }
}
