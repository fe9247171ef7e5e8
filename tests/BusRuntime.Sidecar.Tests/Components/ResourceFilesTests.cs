using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using BusRuntime.Core.Subscriptions;
using BusRuntime.Sidecar.Commands;
using BusRuntime.Testing;
using Google.Protobuf;
using PublishEventRequest = BusRuntime.Protos.V1.PublishEventRequest;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Sidecar.Tests.Components;

/// <summary>Sidecars started with Dapr resource files (--resources-path), their state stores used through Dapr's HTTP API.</summary>
public sealed class ResourceFilesTests : IAsyncLifetime
{
    private readonly PostgresServer postgres = new();
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"busruntime-resources-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        await postgres.EnsureReachableAsync();
    }

    public async Task DisposeAsync()
    {
        Directory.Delete(directory, recursive: true);
        await postgres.DisposeAsync();
    }

    [Fact]
    public async Task Run_ResourcesPathWithAStateStore_ServesItInPlaceOfTheDefaultOne()
    {
        await File.WriteAllTextAsync(Path.Combine(directory, "components.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: yamlstore
            spec:
              type: state.in-memory
              version: v1
              metadata:
              - name: keyPrefix
                value: name
            ---
            apiVersion: dapr.io/v2alpha1
            kind: Subscription
            metadata:
              name: orders
            spec:
              pubsubname: pubsub
              topic: orders
              routes:
                default: /orders
            """);
        await using var sidecar = await TestSidecar.StartAsync("yamlapp", new Dictionary<string, string?> { ["BusRuntime:ResourcesPaths:0"] = directory });

        await SaveAndReadAsync(sidecar, "yamlstore");
        using var defaultStore = await sidecar.Http.GetAsync(new Uri("/v1.0/state/statestore/k", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, defaultStore.StatusCode);
        Assert.Contains("ERR_STATE_STORE_NOT_FOUND", await defaultStore.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var subscription = Assert.Single(sidecar.Services.GetRequiredService<DeclaredSubscriptions>().All);
        Assert.Equal(("pubsub", "orders", "/orders"), (subscription.Spec.PubsubName, subscription.Spec.Topic, subscription.Spec.Routes.DefaultPath));
    }

    [Theory]
    [InlineData("host=127.0.0.1 port=5432 user=postgres password=postgres dbname=postgres sslmode=disable")]
    [InlineData("postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable")]
    public async Task Run_StatePostgresInDaprsConnectionStringForm_SavesAndReadsInItsSchema(string connectionString)
    {
        var schema = postgres.NewSchema();
        await File.WriteAllTextAsync(Path.Combine(directory, "statestore.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pgstore
            spec:
              type: state.postgresql
              version: v1
              metadata:
              - name: connectionString
                value: "{connectionString}"
              - name: schema
                value: {schema}
              - name: tableName
                value: dapr_state
            """);
        await using var sidecar = await TestSidecar.StartAsync("yamlpg", new Dictionary<string, string?> { ["BusRuntime:ResourcesPaths:0"] = directory });

        await SaveAndReadAsync(sidecar, "pgstore");

        await using var command = postgres.Admin.CreateCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = schema });
        Assert.True((long)(await command.ExecuteScalarAsync())! > 0, $"no table in schema {schema}");
    }

    [Fact]
    public async Task Run_DeclaredSubscription_DeliversTheEventsItsRulesTakeToAGrpcAppThatListsNoTopic()
    {
        await File.WriteAllTextAsync(Path.Combine(directory, "subscription.yaml"), """
            apiVersion: dapr.io/v2alpha1
            kind: Subscription
            metadata:
              name: created-orders
            spec:
              pubsubname: pubsub
              topic: orders
              routes:
                rules:
                - match: event.type == "order.created"
                  path: /created
            """);
        await using var subscriber = await SubscriberApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("yamlsub", new Dictionary<string, string?> { ["BusRuntime:ResourcesPaths:0"] = directory }, subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        foreach (var type in new[] { "order.shipped", "order.created" })
        {
            await sidecar.Runtime.PublishEventAsync(new PublishEventRequest
            {
                PubsubName = "pubsub",
                Topic = "orders",
                Data = ByteString.CopyFromUtf8("{}"),
                Metadata = { ["cloudevent.type"] = type },
            });
        }

        await subscriber.WaitForAsync(1, TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal("order.created", Assert.Single(subscriber.Received).Type);
    }

    [Fact]
    public async Task Run_SubscriptionFileChangedWhileRunning_TheAppsSubscriptionsFollowIt()
    {
        static string Subscription(string name, string topic) =>
            $"apiVersion: dapr.io/v2alpha1\nkind: Subscription\nmetadata:\n  name: {name}\nspec:\n  pubsubname: pubsub\n  topic: {topic}\n  routes:\n    default: /{topic}\n";
        var moving = Path.Combine(directory, "moving.yaml");
        await File.WriteAllTextAsync(moving, Subscription("moving", "orders"));
        await File.WriteAllTextAsync(Path.Combine(directory, "steady.yaml"), Subscription("steady", "audit"));
        await using var subscriber = await SubscriberApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("yamlsubhot", new Dictionary<string, string?>
        {
            ["BusRuntime:ResourcesPaths:0"] = directory,
            ["BusRuntime:ResourcesReloadInterval"] = "00:00:00.100",
        }, subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(2);
        var topics = sidecar.Services.GetRequiredService<TopicSubscriptions>();
        string Subscribed() => string.Join(",", topics.List().Where(each => each.Handlers > 0).Select(each => each.Topic).Order(StringComparer.Ordinal));

        await File.WriteAllTextAsync(moving, Subscription("moving", "invoices"));
        await Poll.UntilAsync(() => Subscribed() == "audit,invoices", TimeSpan.FromSeconds(10), () => $"subscribed to {Subscribed()}: {sidecar.Log.Tail()}");
        foreach (var topic in new[] { "orders", "invoices", "audit" })
        {
            await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = topic, Data = ByteString.CopyFromUtf8("{}") });
        }

        await subscriber.WaitForAsync(2, TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(["audit", "invoices"], subscriber.Received.Select(received => received.Topic).Order(StringComparer.Ordinal));

        File.Delete(moving);
        await Poll.UntilAsync(() => Subscribed() == "audit", TimeSpan.FromSeconds(10), () => $"subscribed to {Subscribed()}: {sidecar.Log.Tail()}");
    }

    [Fact]
    public async Task Run_DeclaredSubscriptions_DeliveredToAnHttpAppBesideTheOnesItListsWhichWinTheirTopic()
    {
        await File.WriteAllTextAsync(Path.Combine(directory, "subscriptions.yaml"), """
            apiVersion: dapr.io/v2alpha1
            kind: Subscription
            metadata:
              name: orders
            spec:
              pubsubname: pubsub
              topic: orders
              routes:
                default: /declared-orders
            ---
            apiVersion: dapr.io/v2alpha1
            kind: Subscription
            metadata:
              name: listed
            spec:
              pubsubname: pubsub
              topic: listed
              routes:
                default: /declared-listed
            """);
        await using var app = await HttpTestApp.StartAsync();
        app.Subscribe(new { pubsubname = "pubsub", topic = "listed", route = "/listed" });
        await using var sidecar = await HttpApp.HttpAppSidecar.StartAsync("yamlhttp", app.Port, new Dictionary<string, string?> { ["BusRuntime:ResourcesPaths:0"] = directory });
        await sidecar.WaitForSubscriptionsAsync(2);

        foreach (var topic in new[] { "orders", "listed" })
        {
            await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = topic, Data = ByteString.CopyFromUtf8("{}") });
        }

        await app.WaitForAsync(2);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(["/declared-orders", "/listed"], app.Received.Select(received => received.Path).Order(StringComparer.Ordinal));
        Assert.Equal(2, sidecar.Services.GetRequiredService<TopicSubscriptions>().List().Sum(subscription => subscription.Handlers));
    }

    [Fact]
    public async Task Run_PubSubRabbitMqComponent_PutsTheBusOnItsBrokerUnderTheComponentsName()
    {
        await File.WriteAllTextAsync(Path.Combine(directory, "pubsub.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: orders-bus
            spec:
              type: pubsub.rabbitmq
              version: v1
              metadata:
              - name: connectionString
                value: amqp://guest:guest@127.0.0.1:5672/
              - name: durable
                value: "true"
              - name: requeueInFailure
                value: "false"
            """);
        await using var subscriber = await SubscriberApp.StartAsync(("orders-bus", "yaml-orders"));
        await using var sidecar = await TestSidecar.StartAsync("yamlrabbit", new Dictionary<string, string?> { ["BusRuntime:ResourcesPaths:0"] = directory }, subscriber.Port);
        await sidecar.WaitForSubscriptionsAsync(1);

        var published = await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "orders-bus", Topic = "yaml-orders", Data = ByteString.CopyFromUtf8("{}") });

        Assert.Equal("RabbitMq", sidecar.Services.GetRequiredService<Core.Transport.IBusTransport>().Name);
        await Poll.UntilAsync(() => subscriber.Received.Any(received => received.Id == published.MessageId), TimeSpan.FromSeconds(15), () => $"the event did not arrive: {sidecar.Log.Tail()}");
    }

    [Fact]
    public async Task Run_SecretKeyRefToAFileSecretStoreOfTheFiles_ReadsTheConnectionStringFromIt()
    {
        var secrets = Path.Combine(directory, "secrets.json");
        await File.WriteAllTextAsync(secrets, """{ "pg": { "connection": "host=127.0.0.1 port=5432 user=postgres password=postgres dbname=postgres" } }""");
        await File.WriteAllTextAsync(Path.Combine(directory, "components.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: vault
            spec:
              type: secretstores.local.file
              version: v1
              metadata:
              - name: secretsFile
                value: {secrets}
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pgsecret
            spec:
              type: state.postgresql
              version: v1
              metadata:
              - name: connectionString
                secretKeyRef:
                  name: pg:connection
                  key: pg:connection
              - name: schema
                value: {postgres.NewSchema()}
            auth:
              secretStore: vault
            """);
        await using var sidecar = await TestSidecar.StartAsync("yamlsecret", new Dictionary<string, string?> { ["BusRuntime:ResourcesPaths:0"] = directory });

        await SaveAndReadAsync(sidecar, "pgsecret");
    }

    [Fact]
    public async Task Run_ResourceFileWithAnUnknownType_ExitsWithTwoNamingTheFileTheComponentAndTheField()
    {
        var file = Path.Combine(directory, "kafka.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: events\nspec:\n  type: pubsub.kafka\n  version: v1\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await BusRuntimeCommandLine.Create()
            .Parse(["run", "--app-id", "orders", "--resources-path", directory, "--grpc-port", "1", "--http-port", "2"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(2, exitCode);
        Assert.Contains($"{file} (line 1): component 'events': spec.type 'pubsub.kafka' is not a component type BusRuntime has; its pubsub types: pubsub.bus, pubsub.in-memory, pubsub.rabbitmq.", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ResourceFileChangedWhileRunning_ReloadsItsComponentAndKeepsItWhenTheFileBreaks()
    {
        static string Store(string name, string keyPrefix) =>
            $"apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n  type: state.in-memory\n  version: v1\n  metadata:\n  - name: keyPrefix\n    value: {keyPrefix}\n";
        var file = Path.Combine(directory, "hot.yaml");
        await File.WriteAllTextAsync(file, Store("hot", "none"));
        await using var sidecar = await TestSidecar.StartAsync("yamlhot", new Dictionary<string, string?>
        {
            ["BusRuntime:ResourcesPaths:0"] = directory,
            ["BusRuntime:ResourcesReloadInterval"] = "00:00:00.100",
        });
        var key = await SaveAndReadAsync(sidecar, "hot");

        // A new in-memory store in its place: the entry saved in the old one is not there.
        await File.WriteAllTextAsync(file, Store("hot", "name"));
        await Poll.UntilAsync(async () => (await sidecar.Http.GetAsync(new Uri($"/v1.0/state/hot/{key}", UriKind.Relative))).StatusCode == HttpStatusCode.NoContent, TimeSpan.FromSeconds(10), () => $"the store was not replaced: {sidecar.Log.Tail()}");
        var kept = await SaveAndReadAsync(sidecar, "hot");

        await File.WriteAllTextAsync(file, Store("hot", "name") + "  - name: keyPrefx\n    value: x\n");
        await Poll.UntilAsync(() => sidecar.Log.Problems().Any(problem => problem.EventId == 2006), TimeSpan.FromSeconds(10), () => $"no reload error was logged: {sidecar.Log.Tail()}");
        var problem = sidecar.Log.Problems().First(problem => problem.EventId == 2006);
        Assert.Contains($"{file} (line 1): component 'hot': spec.metadata 'keyPrefx' (line 11) is not a setting of state.in-memory", problem.Message, StringComparison.Ordinal);
        using (var stillThere = await sidecar.Http.GetAsync(new Uri($"/v1.0/state/hot/{kept}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        }

        // While a file cannot be read, no change applies; mended, the others' do.
        await File.WriteAllTextAsync(file, Store("hot", "name"));
        await File.WriteAllTextAsync(Path.Combine(directory, "added.yaml"), Store("added", "none"));
        await Poll.UntilAsync(async () => (await sidecar.Http.GetAsync(new Uri("/v1.0/state/added/k", UriKind.Relative))).StatusCode == HttpStatusCode.NoContent, TimeSpan.FromSeconds(10), () => $"the store was not added: {sidecar.Log.Tail()}");
        await SaveAndReadAsync(sidecar, "added");

        File.Delete(file);
        await Poll.UntilAsync(async () => (await sidecar.Http.GetAsync(new Uri("/v1.0/state/hot/k", UriKind.Relative))).StatusCode == HttpStatusCode.BadRequest, TimeSpan.FromSeconds(10), () => $"the store was not removed: {sidecar.Log.Tail()}");
    }

    [Fact]
    public async Task Run_PubSubFileChangedWhileRunning_ItsNewScopesDecideWhatTheAppMayPublish()
    {
        static string PubSub(string topics) =>
            $"apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: events\nspec:\n  type: pubsub.in-memory\n  version: v1\n  metadata:\n  - name: publishingScopes\n    value: \"yamlscopes={topics}\"\n";
        var file = Path.Combine(directory, "events.yaml");
        await File.WriteAllTextAsync(file, PubSub("created"));
        await using var sidecar = await TestSidecar.StartAsync("yamlscopes", new Dictionary<string, string?>
        {
            ["BusRuntime:ResourcesPaths:0"] = directory,
            ["BusRuntime:ResourcesReloadInterval"] = "00:00:00.100",
        });
        async Task<HttpStatusCode> PublishAsync(string topic)
        {
            using var published = await sidecar.Http.PostAsJsonAsync($"/v1.0/publish/events/{topic}", new { id = 1 });
            return published.StatusCode;
        }

        Assert.Equal(HttpStatusCode.NoContent, await PublishAsync("created"));
        Assert.Equal(HttpStatusCode.Forbidden, await PublishAsync("shipped"));

        await File.WriteAllTextAsync(file, PubSub("shipped"));
        await Poll.UntilAsync(async () => await PublishAsync("shipped") == HttpStatusCode.NoContent, TimeSpan.FromSeconds(10), () => $"the scopes were not reloaded: {sidecar.Log.Tail()}");

        Assert.Equal(HttpStatusCode.Forbidden, await PublishAsync("created"));
    }

    [Fact]
    public async Task Run_ResourcesPathTwice_ReadsBothNamingTheSecondByItsIndex()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await BusRuntimeCommandLine.Create()
            .Parse(["run", "--app-id", "orders", "--resources-path", directory, "--components-path", "/nonexistent/components", "--grpc-port", "1", "--http-port", "2"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(2, exitCode);
        Assert.Contains("BusRuntime:ResourcesPaths:1 (--resources-path) '/nonexistent/components' is neither a directory nor a file.", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<string> SaveAndReadAsync(TestSidecar sidecar, string store)
    {
        var key = $"order-{Guid.NewGuid():N}";
        using var saved = await sidecar.Http.PostAsJsonAsync($"/v1.0/state/{store}", new[] { new { key, value = new { item = "book" } } });
        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);

        using var read = await sidecar.Http.GetAsync(new Uri($"/v1.0/state/{store}/{key}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("""{"item":"book"}""", await read.Content.ReadAsStringAsync());
        return key;
    }
}
