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
        await using var queue = await InputQueue.DeclareAsync();
        await using var app = await DaprBindingApp.StartAsync("orders");
        var calls = 0;
        app.Respond = _ => Interlocked.Increment(ref calls) == 1
            ? throw new RpcException(new Status(StatusCode.Unavailable, "not yet"))
            : Task.FromResult(new BindingEventResponse());
        var properties = new BasicProperties { MessageId = "m-1", Headers = new Dictionary<string, object?> { ["tenant"] = Encoding.UTF8.GetBytes("acme") } };
        await queue.Channel.BasicPublishAsync("", queue.Name, mandatory: true, properties, Encoding.UTF8.GetBytes("{\"order\":7}"));

        await using (var sidecar = await TestSidecar.StartAsync("rabbit-input", Settings(queue.Name), app.Port))
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
        Assert.Equal(0u, (await queue.Channel.QueueDeclarePassiveAsync(queue.Name)).MessageCount);
    }

    [Fact]
    public async Task Queue_AppAlwaysFails_MessageStaysInTheQueue()
    {
        await using var queue = await InputQueue.DeclareAsync();
        await using var app = await DaprBindingApp.StartAsync("orders");
        app.Respond = _ => throw new RpcException(new Status(StatusCode.Internal, "broken"));
        await queue.Channel.BasicPublishAsync("", queue.Name, Encoding.UTF8.GetBytes("x"));

        await using (var sidecar = await TestSidecar.StartAsync("rabbit-input-failing", Settings(queue.Name), app.Port))
        {
            await app.WaitForEventsAsync(2, TimeSpan.FromSeconds(30));
        }

        Assert.Equal(1u, (await queue.Channel.QueueDeclarePassiveAsync(queue.Name)).MessageCount);
    }

    [Fact]
    public async Task Queue_MessageOverMaxPayloadBytes_RejectedNotDeliveredAndTheNextOneIs()
    {
        await using var queue = await InputQueue.DeclareAsync();
        await using var app = await DaprBindingApp.StartAsync("orders");
        await queue.Channel.BasicPublishAsync("", queue.Name, Encoding.UTF8.GetBytes(new string('x', 64)));
        await queue.Channel.BasicPublishAsync("", queue.Name, Encoding.UTF8.GetBytes("small"));
        var settings = Settings(queue.Name);
        settings["BusRuntime:MaxPayloadBytes"] = "16";

        await using (var sidecar = await TestSidecar.StartAsync("rabbit-input-large", settings, app.Port))
        {
            await app.WaitForEventsAsync(1, TimeSpan.FromSeconds(30));
        }

        Assert.Equal("small", Assert.Single(app.Events).Data.ToStringUtf8());
        Assert.Equal(0u, (await queue.Channel.QueueDeclarePassiveAsync(queue.Name)).MessageCount);
    }

    [Fact]
    public async Task Queue_HttpAppAnswers500Then200_RedeliveredThenAcknowledged()
    {
        await using var queue = await InputQueue.DeclareAsync();
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
            await queue.Channel.BasicPublishAsync("", queue.Name, mandatory: true, properties, Encoding.UTF8.GetBytes("{\"order\":8}"));
            var settings = Settings(queue.Name);
            settings["BusRuntime:AppProtocol"] = "http";

            await using (var sidecar = await TestSidecar.StartAsync("rabbit-input-http", settings, port))
            {
                await Poll.UntilAsync(() => posts.Count >= 2, TimeSpan.FromSeconds(30), () => $"{posts.Count} POSTs");
            }

            Assert.All(posts, post => Assert.Equal(("/orders", "{\"order\":8}", "acme", false), post));
            Assert.Equal(0u, (await queue.Channel.QueueDeclarePassiveAsync(queue.Name)).MessageCount);
        }
        finally
        {
            await web.DisposeAsync();
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

    /// <summary>A queue of the test's own on the broker, with a channel to it; deleted at the end.</summary>
    private sealed class InputQueue(IConnection connection, IChannel channel, string name) : IAsyncDisposable
    {
        public IChannel Channel => channel;

        public string Name => name;

        public static async Task<InputQueue> DeclareAsync()
        {
            var name = $"busruntime-test-input-{Guid.NewGuid():N}";
            var factory = new ConnectionFactory { Uri = new Uri(BrokerFixture.Address), AutomaticRecoveryEnabled = false };
            var connection = await factory.CreateConnectionAsync();
            var channel = await connection.CreateChannelAsync();
            await channel.QueueDeclareAsync(name, durable: false, exclusive: false, autoDelete: false);
            return new InputQueue(connection, channel, name);
        }

        public async ValueTask DisposeAsync()
        {
            await channel.QueueDeleteAsync(name, ifUnused: false, ifEmpty: false);
            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
