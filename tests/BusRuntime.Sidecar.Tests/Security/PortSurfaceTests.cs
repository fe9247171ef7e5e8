using System.Net;
using System.Net.Http.Headers;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace BusRuntime.Sidecar.Tests.Security;

/// <summary>
/// Each port serves its own surface, chosen by the port the connection arrived on: a Host or :authority
/// header naming the other port reaches nothing, so no header can route around the HTTP port's token check.
/// </summary>
public sealed class PortSurfaceTests : IAsyncLifetime
{
    private const string Token = "p0rt-t0ken";

    private TestSidecar? sidecar;

    private TestSidecar Sidecar => sidecar ?? throw new InvalidOperationException("The sidecar has not started.");

    public async Task InitializeAsync() =>
        sidecar = await TestSidecar.StartAsync("ports", new Dictionary<string, string?> { ["BusRuntime:ApiToken"] = Token });

    public async Task DisposeAsync()
    {
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("GET", "/v1.0/metadata")]
    [InlineData("PUT", "/v1.0/metadata/owner")]
    [InlineData("POST", "/v1.0/state/statestore")]
    [InlineData("GET", "/v1.0/state/statestore/k")]
    [InlineData("POST", "/v1.0/publish/pubsub/orders")]
    [InlineData("GET", "/actuator/info")]
    [InlineData("GET", "/metrics")]
    public async Task HttpRoute_Http2OnTheGrpcPortWithTheHttpPortsHost_IsNotFoundAndDoesNothing(string verb, string path)
    {
        using var client = new HttpClient(new SocketsHttpHandler());
        using var request = new HttpRequestMessage(new HttpMethod(verb), $"http://127.0.0.1:{Sidecar.GrpcPort}{path}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent("""[{"key":"k","value":1}]""", MediaTypeHeaderValue.Parse("application/json")),
        };
        request.Headers.Host = $"127.0.0.1:{Sidecar.HttpPort}";

        using var response = await client.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{verb} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        using var read = new HttpRequestMessage(HttpMethod.Get, "/v1.0/state/statestore/k");
        read.Headers.Add("dapr-api-token", Token);
        using var stored = await Sidecar.Http.SendAsync(read);
        Assert.Equal(HttpStatusCode.NoContent, stored.StatusCode);
    }

    [Fact]
    public async Task GrpcMethod_OnTheHttpPortWithTheGrpcPortsHost_IsNotFound()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/busruntime.v1.Runtime/GetState")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/grpc");
        request.Headers.Host = $"127.0.0.1:{Sidecar.GrpcPort}";
        request.Headers.Add("dapr-api-token", Token);

        using var response = await Sidecar.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GrpcCall_WithTheHttpPortsAuthority_IsServedAsGrpcAndStillWantsTheToken()
    {
        // The channel's address decides the connection; the authority a client sends names the other port.
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{Sidecar.GrpcPort}", new GrpcChannelOptions
        {
            HttpHandler = new AuthorityRewriter($"127.0.0.1:{Sidecar.HttpPort}") { InnerHandler = new SocketsHttpHandler() },
        });
        var runtime = new Runtime.RuntimeClient(channel);

        var without = await Assert.ThrowsAsync<RpcException>(() => runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = "k" }).ResponseAsync);
        var with = await runtime.GetStateAsync(new GetStateRequest { StoreName = "statestore", Key = "k" }, new Metadata { { "dapr-api-token", Token } });

        Assert.Equal(StatusCode.Unauthenticated, without.StatusCode);
        Assert.True(with.Data.IsEmpty);
    }

    private sealed class AuthorityRewriter(string authority) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Host = authority;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
