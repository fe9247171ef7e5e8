using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BusRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BusRuntime.CompatibilityTests.NodeSdk;

public sealed class NodePrimitivesTests
{
    [Fact]
    public async Task NodeSdk_SecretsLocksBindingAndShutdown_OverHttp_WorkAsWithDapr()
    {
        var secretName = $"BUSRUNTIME_NODE_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(secretName, "from-env");
        using var target = new HttpListener();
        var port = FreePort();
        target.Prefixes.Add($"http://127.0.0.1:{port}/");
        target.Start();
        try
        {
            var sidecar = await TestSidecar.StartAsync("node-primitives", new Dictionary<string, string?>
            {
                ["BusRuntime:Components:0:Name"] = "webhook",
                ["BusRuntime:Components:0:Type"] = "bindings.http",
                ["BusRuntime:Components:0:Metadata:url"] = $"http://127.0.0.1:{port}/hooks",
            });
            await using (sidecar)
            {
                var lifetime = sidecar.Services.GetRequiredService<IHostApplicationLifetime>();
                var served = ServeOnceAsync(target);

                var result = (await NodeScripts.RunAsync("primitives.mjs", new Dictionary<string, string>
                {
                    ["DAPR_HTTP_PORT"] = sidecar.HttpPort.ToString(CultureInfo.InvariantCulture),
                    ["SECRET"] = secretName,
                    ["RESOURCE"] = $"node-lock-{Guid.NewGuid():N}",
                    ["BINDING"] = "webhook",
                })).AssertSucceeded();
                var (path, body) = await served.WaitAsync(TimeSpan.FromSeconds(30));

                var line = Assert.Single(result.JsonLines());
                Assert.Equal("from-env", line.GetProperty("secret").GetString());
                Assert.True(line.GetProperty("bulkHasSecret").GetBoolean());
                Assert.True(line.GetProperty("first").GetBoolean());
                Assert.False(line.GetProperty("second").GetBoolean());
                Assert.Equal(2, line.GetProperty("byOther").GetInt32()); // LockStatus.LockBelongsToOthers
                Assert.Equal(0, line.GetProperty("byOwner").GetInt32()); // LockStatus.Success
                Assert.True(line.GetProperty("binding").GetProperty("ok").GetBoolean());
                Assert.Equal(("/hooks/node", "{\"n\":1}"), (path, body));
                await Poll.UntilAsync(bool () => lifetime.ApplicationStopping.IsCancellationRequested, TimeSpan.FromSeconds(30), () => "the sidecar did not begin to stop after the SDK's shutdown");
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(secretName, null);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task<(string Path, string Body)> ServeOnceAsync(HttpListener target)
    {
        var context = await target.GetContextAsync();
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        context.Response.ContentType = "application/json";
        var answer = "{\"ok\":true}"u8.ToArray();
        await context.Response.OutputStream.WriteAsync(answer);
        context.Response.Close();
        return (context.Request.Url!.AbsolutePath, body);
    }
}
