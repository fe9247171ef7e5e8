namespace BusRuntime.IntegrationTests.Security;

/// <summary>
/// A virtual host of a test's own on the shared broker, with a RabbitMQ user per app, made with rabbitmqctl (the
/// management HTTP API may not be enabled). Disposing deletes the users and the virtual host with everything in it.
/// </summary>
internal sealed class RestrictedBroker : IAsyncDisposable
{
    private readonly List<string> users = [];

    private RestrictedBroker(string virtualHost) => VirtualHost = virtualHost;

    public string VirtualHost { get; }

    public static async Task<RestrictedBroker> CreateAsync()
    {
        var broker = new RestrictedBroker($"busruntime-test-{Guid.NewGuid():N}");
        await RabbitMqFixture.RabbitMqCtlAsync("add_vhost", broker.VirtualHost);
        return broker;
    }

    /// <summary>Adds a user with these permissions on this virtual host; returns the amqp:// address a sidecar connects with.</summary>
    public async Task<string> AddUserAsync(string user, string configure, string write, string read)
    {
        var password = Guid.NewGuid().ToString("N");
        await RabbitMqFixture.RabbitMqCtlAsync("add_user", user, password);
        users.Add(user);
        await RabbitMqFixture.RabbitMqCtlAsync("set_permissions", "-p", VirtualHost, user, configure, write, read);
        return Address(user, password);
    }

    public string Address(string user, string password) =>
        $"amqp://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@127.0.0.1:5672/{Uri.EscapeDataString(VirtualHost)}";

    /// <summary>The names of the queues or exchanges ("queues", "exchanges") in this virtual host.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string what)
    {
        var output = await RabbitMqFixture.RabbitMqCtlAsync($"list_{what}", "-p", VirtualHost, "name", "--quiet", "--no-table-headers");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var user in users)
        {
            await RabbitMqFixture.RabbitMqCtlAsync("delete_user", user);
        }

        await RabbitMqFixture.RabbitMqCtlAsync("delete_vhost", VirtualHost);
    }
}
