using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BusRuntime.Testing;

/// <summary>
/// An HTTP endpoint of the test on a free loopback port, the target of a <c>bindings.http</c> component: it answers
/// one request at a time as the test says (<see cref="ServeOnceAsync"/>) and reports what it received.
/// </summary>
public sealed class WebhookTarget : IDisposable
{
    private readonly HttpListener listener = new();

    private WebhookTarget(int port)
    {
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        Port = port;
    }

    public int Port { get; }

    public static WebhookTarget Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new WebhookTarget(port);
    }

    /// <summary>The settings of a sidecar whose bindings.http component "webhook" calls this target's <c>/hooks</c>.</summary>
    public Dictionary<string, string?> WebhookBinding() => new(StringComparer.Ordinal)
    {
        ["BusRuntime:Components:0:Name"] = "webhook",
        ["BusRuntime:Components:0:Type"] = "bindings.http",
        ["BusRuntime:Components:0:Metadata:url"] = $"http://127.0.0.1:{Port}/hooks",
    };

    /// <summary>Answers the next request with <paramref name="status"/> and <paramref name="answer"/>; returns what it was.</summary>
    public async Task<ReceivedHttpRequest> ServeOnceAsync(HttpStatusCode status, string answer)
    {
        var context = await listener.GetContextAsync();
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        context.Response.StatusCode = (int)status;
        await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(answer));
        context.Response.Close();
        var headers = context.Request.Headers.AllKeys.OfType<string>()
            .ToDictionary(name => name.ToLowerInvariant(), name => context.Request.Headers[name] ?? "", StringComparer.Ordinal);
        return new ReceivedHttpRequest(
            context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Url.Query, headers, context.Request.ContentType, Encoding.UTF8.GetBytes(body));
    }

    public void Dispose() => listener.Close();
}
