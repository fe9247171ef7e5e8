using System.Net;
using BusRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static BusRuntime.Sidecar.Tests.Http.DaprHttp;

namespace BusRuntime.Sidecar.Tests.Http;

/// <summary>POST /v1.0/shutdown stops the host after answering, and only with the API token when one is set.</summary>
public sealed class DaprShutdownRouteTests
{
    [Fact]
    public async Task Shutdown_Post_Returns204ThenTheSidecarStops()
    {
        var sidecar = await TestSidecar.StartAsync("http-shutdown");
        await using (sidecar)
        {
            var lifetime = sidecar.Services.GetRequiredService<IHostApplicationLifetime>();

            using var response = await sidecar.Http.PostAsync(Path("/v1.0/shutdown"), null);

            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            await Poll.UntilAsync(bool () => lifetime.ApplicationStopping.IsCancellationRequested, TimeSpan.FromSeconds(30), () => "the sidecar did not begin to stop after POST /v1.0/shutdown");
        }
    }

    [Fact]
    public async Task Shutdown_WithoutTheToken_Returns401AndTheSidecarKeepsRunning()
    {
        var sidecar = await TestSidecar.StartAsync("http-shutdown-token", new Dictionary<string, string?> { ["BusRuntime:ApiToken"] = "s3cret" });
        await using (sidecar)
        {
            var lifetime = sidecar.Services.GetRequiredService<IHostApplicationLifetime>();

            using var response = await sidecar.Http.PostAsync(Path("/v1.0/shutdown"), null);
            using var read = new HttpRequestMessage(HttpMethod.Get, Path("/v1.0/metadata"));
            read.Headers.Add("dapr-api-token", "s3cret");
            using var metadata = await sidecar.Http.SendAsync(read);

            await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "ERR_UNAUTHORIZED", "dapr-api-token");
            Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
            Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
        }
    }
}
