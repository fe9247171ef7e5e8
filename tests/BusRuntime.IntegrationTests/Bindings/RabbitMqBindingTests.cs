using System.Text;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Transport.RabbitMq;
using RabbitMQ.Client;

namespace BusRuntime.IntegrationTests.Bindings;

/// <summary>bindings.rabbitmq on the real broker: a send returns after the broker confirmed it, and a message no queue takes fails.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RabbitMqBindingTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private readonly string queue = RabbitMqFixture.Unique("binding");
    private IConnection? connection;

    public async Task InitializeAsync()
    {
        connection = await new ConnectionFactory { Uri = new Uri(RabbitMqFixture.Address) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
    }

    public async Task DisposeAsync()
    {
        await using (var channel = await connection!.CreateChannelAsync())
        {
            await channel.QueueDeleteAsync(queue);
        }

        await connection.DisposeAsync();
    }

    [Fact]
    public async Task InvokeAsync_Create_PutsTheDataOnTheQueueAsItIsWithHeadersAndTtl()
    {
        await using var binding = Binding(new() { ["queueName"] = queue, ["contentType"] = "application/json" });

        var response = await binding.InvokeAsync(
            new BindingRequest("create", Encoding.UTF8.GetBytes("{\"order\":17}"), new Dictionary<string, string> { ["tenant"] = "acme", ["ttlInSeconds"] = "60" }),
            CancellationToken.None);

        // The binding answered after the broker's confirm, so the message is there at once.
        Assert.Equal(1u, await broker.MessageCountAsync(queue));
        await using var channel = await connection!.CreateChannelAsync();
        var message = await channel.BasicGetAsync(queue, autoAck: true);
        Assert.NotNull(message);
        Assert.Equal("{\"order\":17}", Encoding.UTF8.GetString(message.Body.Span));
        Assert.Equal(("application/json", "60000", true), (message.BasicProperties.ContentType, message.BasicProperties.Expiration, message.BasicProperties.Persistent));
        Assert.Equal("acme", Encoding.UTF8.GetString((byte[])message.BasicProperties.Headers!["tenant"]!));
        Assert.Equal(response.Metadata["messageId"], message.BasicProperties.MessageId);
    }

    [Fact]
    public async Task InvokeAsync_QueueThatDoesNotExist_IsUnavailableAndNotSent()
    {
        await using var binding = Binding(new() { ["queueName"] = RabbitMqFixture.Unique("missing") });

        var refused = await Assert.ThrowsAsync<RuntimeException>(() =>
            binding.InvokeAsync(new BindingRequest("create", new byte[] { 1 }, new Dictionary<string, string>()), CancellationToken.None));

        Assert.Equal(ErrorCode.Unavailable, refused.Code);
        Assert.Contains("has no queue for", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_SidecarBrokerIsANodeList_SendsThroughTheLiveNode()
    {
        // A cluster's node list, whose first node does not answer: the binding goes on to the next, as the bus does.
        var nodes = $"amqp://guest:guest@127.0.0.1:1/,{RabbitMqFixture.Address}";
        await using var binding = Binding(new() { ["queueName"] = queue }, nodes);

        await binding.InvokeAsync(new BindingRequest("create", new byte[] { 7 }, new Dictionary<string, string>()), CancellationToken.None);

        Assert.Equal(1u, await broker.MessageCountAsync(queue));
    }

    [Fact]
    public async Task InvokeAsync_BrokerUnreachable_IsUnavailable()
    {
        await using var binding = Binding(new() { ["queueName"] = queue, ["host"] = "amqp://guest:guest@127.0.0.1:1/" });

        var refused = await Assert.ThrowsAsync<RuntimeException>(() =>
            binding.InvokeAsync(new BindingRequest("create", new byte[] { 1 }, new Dictionary<string, string>()), CancellationToken.None));

        Assert.Equal(ErrorCode.Unavailable, refused.Code);
    }

    [Fact]
    public void Create_NeitherQueueNorExchange_ThrowsNamingTheKeys()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Binding([]));

        Assert.Contains("BusRuntime:Components[orders]:Metadata:queueName", error.Message, StringComparison.Ordinal);
    }

    private static RabbitMqOutputBinding Binding(Dictionary<string, string> metadata, string sidecarBroker = RabbitMqFixture.Address) =>
        RabbitMqOutputBinding.Create(
            new ComponentOptions { Name = "orders", Type = ComponentTypes.BindingsRabbitMq, Metadata = new(metadata, StringComparer.OrdinalIgnoreCase) },
            sidecarBroker,
            null);
}
