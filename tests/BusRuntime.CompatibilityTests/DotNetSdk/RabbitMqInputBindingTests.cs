using System.Text;
using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>bindings.rabbitmq as an input binding to a gRPC app on Dapr's AppCallbackBase: OK acknowledges a message, an error gives it back to the queue.</summary>
[Collection(BrokerCollection.Name)]
public sealed class RabbitMqInputBindingTests
{
    [Fact]
    public async Task Queue_AppFailsThenTakes_RedeliveredThenAcknowledged()
    {
        var queue = $"busruntime-test-input-{Guid.NewGuid():N}";
        var factory = new ConnectionFactory { Uri = new Uri(BrokerFixture.Address), AutomaticRecoveryEnabled = false };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);
        try
        {
            await using var app = await DaprBindingApp.StartAsync("orders");
            var calls = 0;
            app.Respond = _ => Interlocked.Increment(ref calls) == 1
                ? throw new RpcException(new Status(StatusCode.Unavailable, "not yet"))
                : Task.FromResult(new BindingEventResponse());
            var properties = new BasicProperties { MessageId = "m-1", Headers = new Dictionary<string, object?> { ["tenant"] = Encoding.UTF8.GetBytes("acme") } };
            await channel.BasicPublishAsync("", queue, mandatory: true, properties, Encoding.UTF8.GetBytes("{\"order\":7}"));

            await using (var sidecar = await TestSidecar.StartAsync("rabbit-input", Settings(queue), app.Port))
            {
                await app.WaitForEventsAsync(2, TimeSpan.FromSeconds(30));
            }

            var events = app.Events.ToList();
            Assert.All(events, received =>
            {
                Assert.Equal("orders", received.Name);
                Assert.Equal("{\"order\":7}", received.Data.ToStringUtf8());
                Assert.Equal("acme", received.Metadata["tenant"]);
                Assert.Equal("m-1", received.Metadata["messageId"]);
            });
            Assert.Equal(0u, (await channel.QueueDeclarePassiveAsync(queue)).MessageCount);
        }
        finally
        {
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }
    }

    [Fact]
    public async Task Queue_AppAlwaysFails_MessageStaysInTheQueue()
    {
        var queue = $"busruntime-test-input-{Guid.NewGuid():N}";
        var factory = new ConnectionFactory { Uri = new Uri(BrokerFixture.Address), AutomaticRecoveryEnabled = false };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);
        try
        {
            await using var app = await DaprBindingApp.StartAsync("orders");
            app.Respond = _ => throw new RpcException(new Status(StatusCode.Internal, "broken"));
            await channel.BasicPublishAsync("", queue, Encoding.UTF8.GetBytes("x"));

            await using (var sidecar = await TestSidecar.StartAsync("rabbit-input-failing", Settings(queue), app.Port))
            {
                await app.WaitForEventsAsync(2, TimeSpan.FromSeconds(30));
            }

            Assert.Equal(1u, (await channel.QueueDeclarePassiveAsync(queue)).MessageCount);
        }
        finally
        {
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }
    }

    [Fact]
    public async Task Queue_MessageOverMaxPayloadBytes_RejectedNotDeliveredAndTheNextOneIs()
    {
        var queue = $"busruntime-test-input-{Guid.NewGuid():N}";
        var factory = new ConnectionFactory { Uri = new Uri(BrokerFixture.Address), AutomaticRecoveryEnabled = false };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);
        try
        {
            await using var app = await DaprBindingApp.StartAsync("orders");
            await channel.BasicPublishAsync("", queue, Encoding.UTF8.GetBytes(new string('x', 64)));
            await channel.BasicPublishAsync("", queue, Encoding.UTF8.GetBytes("small"));
            var settings = Settings(queue);
            settings["BusRuntime:MaxPayloadBytes"] = "16";

            await using (var sidecar = await TestSidecar.StartAsync("rabbit-input-large", settings, app.Port))
            {
                await app.WaitForEventsAsync(1, TimeSpan.FromSeconds(30));
            }

            Assert.Equal("small", Assert.Single(app.Events).Data.ToStringUtf8());
            Assert.Equal(0u, (await channel.QueueDeclarePassiveAsync(queue)).MessageCount);
        }
        finally
        {
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }
    }

    [Fact]
    public async Task Queue_HttpAppAnswers500Then200_RedeliveredThenAcknowledged()
    {
        var queue = $"busruntime-test-input-{Guid.NewGuid():N}";
        var factory = new ConnectionFactory { Uri = new Uri(BrokerFixture.Address), AutomaticRecoveryEnabled = false };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);
        var posts = new System.Collections.Concurrent.ConcurrentQueue<(string Path, string Body, string? Tenant, bool HasBrokenHeader)>();
        var (web, port) = await FreePort.StartAsync(async () =>
        {
            var appPort = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{appPort}");
            var built = builder.Build();
            built.Run(async context =>
            {
                if (HttpMethods.IsPost(context.Request.Method))
                {
                    using var reader = new StreamReader(context.Request.Body);
                    posts.Enqueue((context.Request.Path.Value ?? "", await reader.ReadToEndAsync(), context.Request.Headers["tenant"].FirstOrDefault(), context.Request.Headers.ContainsKey("broken")));
                    context.Response.StatusCode = posts.Count == 1 ? 500 : 200;
                }
            });
            await built.StartAsync();
            return (built, appPort);
        });
        try
        {
            var properties = new BasicProperties
            {
                Headers = new Dictionary<string, object?> { ["tenant"] = Encoding.UTF8.GetBytes("acme"), ["broken"] = Encoding.UTF8.GetBytes("a\r\nInjected: yes") },
            };
            await channel.BasicPublishAsync("", queue, mandatory: true, properties, Encoding.UTF8.GetBytes("{\"order\":8}"));
            var settings = Settings(queue);
            settings["BusRuntime:AppProtocol"] = "http";

            await using (var sidecar = await TestSidecar.StartAsync("rabbit-input-http", settings, port))
            {
                await Poll.UntilAsync(() => posts.Count >= 2, TimeSpan.FromSeconds(30), () => $"{posts.Count} POSTs");
            }

            Assert.All(posts, post => Assert.Equal(("/orders", "{\"order\":8}", "acme", false), post));
            Assert.Equal(0u, (await channel.QueueDeclarePassiveAsync(queue)).MessageCount);
        }
        finally
        {
            await web.DisposeAsync();
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }
    }

    private static Dictionary<string, string?> Settings(string queue) => new()
    {
        ["BusRuntime:Components:0:Name"] = "orders",
        ["BusRuntime:Components:0:Type"] = "bindings.rabbitmq",
        ["BusRuntime:Components:0:Metadata:queueName"] = queue,
        ["BusRuntime:Components:0:Metadata:host"] = BrokerFixture.Address,
        ["BusRuntime:Components:0:Metadata:durable"] = "false",
    };
}
