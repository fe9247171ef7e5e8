using System.Net;
using BusRuntime.Hosting;
using BusRuntime.Sidecar.Tests.Surface;
using BusRuntime.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace BusRuntime.Sidecar.Tests.Security;

/// <summary>
/// Walks the sidecar's whole route table with a token configured and none sent: every HTTP route and verb is
/// 401 and every rpc of every gRPC service UNAUTHENTICATED, except the health and readiness routes and gRPC
/// reflection. An endpoint added later is in the table, so it is checked without anyone listing it here.
/// </summary>
public sealed class EveryEndpointTokenTests : IAsyncLifetime
{
    private const string Token = "every-endp0int";

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    private TestSidecar? sidecar;

    private TestSidecar Sidecar => sidecar ?? throw new InvalidOperationException("The sidecar has not started.");

    public async Task InitializeAsync() =>
        sidecar = await TestSidecar.StartAsync("every-endpoint", new Dictionary<string, string?> { ["BusRuntime:ApiToken"] = Token });

    public async Task DisposeAsync()
    {
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }
    }

    [Fact]
    public async Task EveryHttpRouteAndVerb_WithoutToken_Is401ButHealthAndReadiness()
    {
        await Sidecar.WaitUntilReadyAsync();
        var routes = SidecarSurface.HttpRoutes(Sidecar);
        var open = new List<string>();

        foreach (var route in routes)
        {
            foreach (var verb in route.Verbs)
            {
                using var request = new HttpRequestMessage(new HttpMethod(verb), route.Path(_ => "x"))
                {
                    Content = verb is "GET" or "HEAD" ? null : new StringContent("{}"),
                };
                using var response = await Sidecar.Http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    open.Add($"{verb} {route.Text}");
                }
            }
        }

        Assert.True(routes.Count >= 10, $"the route table looks empty: {string.Join(", ", routes.Select(route => route.Text))}");
        Assert.Equal(HttpApiTokenMiddleware.OpenRoutes.Select(route => $"GET {route}").Order(StringComparer.Ordinal), open.Order(StringComparer.Ordinal));
        Assert.Equal(["GET /actuator/health/liveness", "GET /actuator/health/readiness", "GET /v1.0/healthz", "GET /v1.0/healthz/outbound"], open.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task UnknownPathOnTheHttpPort_WithoutToken_Is401()
    {
        using var response = await Sidecar.Http.GetAsync(new Uri("/no/such/route", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task EveryRpcOfEveryGrpcService_WithoutToken_IsUnauthenticatedButReflection()
    {
        var rpcs = SidecarSurface.GrpcRpcs(Sidecar);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{Sidecar.GrpcPort}");
        var invoker = channel.CreateCallInvoker();
        var wrong = new List<string>();

        foreach (var rpc in rpcs)
        {
            var status = await CallAsync(invoker, rpc);
            var expected = rpc.IsReflection ? status != StatusCode.Unauthenticated : status == StatusCode.Unauthenticated;
            if (!expected)
            {
                wrong.Add($"{rpc.FullName}: {status}");
            }
        }

        Assert.True(rpcs.Count >= 50, $"the gRPC services look empty: {string.Join(", ", rpcs.Select(rpc => rpc.FullName))}");
        Assert.Contains(rpcs, rpc => rpc.Service == "busruntime.v1.Operations");
        Assert.Contains(rpcs, rpc => rpc.IsReflection);
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    /// <summary>Calls <paramref name="rpc"/> with an empty request and no token; the status it ends with.</summary>
    private static async Task<StatusCode> CallAsync(CallInvoker invoker, GrpcRpc rpc)
    {
        var method = new Method<byte[], byte[]>(rpc.Type, rpc.Service, rpc.Name, Bytes, Bytes);
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10));
        try
        {
            switch (rpc.Type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(method, null, options, []);
                    break;
                case MethodType.ServerStreaming:
                    using (var call = invoker.AsyncServerStreamingCall(method, null, options, []))
                    {
                        await call.ResponseStream.MoveNext(CancellationToken.None);
                    }

                    break;
                default:
                    using (var call = invoker.AsyncDuplexStreamingCall(method, null, options))
                    {
                        await call.RequestStream.CompleteAsync();
                        while (await call.ResponseStream.MoveNext(CancellationToken.None))
                        {
                        }
                    }

                    break;
            }

            return StatusCode.OK;
        }
        catch (RpcException exception)
        {
            return exception.StatusCode;
        }
    }
}
