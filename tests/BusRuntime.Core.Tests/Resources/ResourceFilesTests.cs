using BusRuntime.Core.Configuration;
using BusRuntime.Core.Resources;
using BusRuntime.Core.Subscriptions;

namespace BusRuntime.Core.Tests.Resources;

public sealed class ResourceFilesTests
{
    private static string Component(string name, string type, string metadata = "", string extra = "") => $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: {name}
        spec:
          type: {type}
          version: v1
          metadata:
        {metadata}
        {extra}
        """;

    private static string Entry(string name, string value) => $"""
          - name: {name}
            value: "{value}"
        """;

    [Fact]
    public void Load_StatePostgresWithLibpqKeywords_TranslatesToAnNpgsqlConnectionString()
    {
        using var directory = new ResourceDirectory();
        directory.Write("state.yaml", Component("statestore", "state.postgresql",
            "  - name: connectionString\n    value: host=db.example user=app password='p a\\'ss' dbname=orders port=5433 sslmode=verify-full connect_timeout=7" + "\n" + Entry("maxConns", "12")));

        var declared = Assert.Single(directory.Load().Components);

        Assert.Equal("state.postgresql", declared.Component.Type);
        Assert.Equal(
            "host=db.example;username=app;password=\"p a'ss\";database=orders;port=5433;ssl mode=VerifyFull;timeout=7;Maximum Pool Size=12",
            declared.Component.Metadata["connectionString"]);
    }

    [Fact]
    public void Load_StatePostgresWithUrl_TranslatesToAnNpgsqlConnectionString()
    {
        using var directory = new ResourceDirectory();
        directory.Write("state.yml", Component("statestore", "state.postgresql",
            Entry("connectionString", "postgres://app:p%40ss%3Bword@db.example:5434/orders?sslmode=disable&application_name=shop") + "\n" + Entry("timeout", "1m")));

        var declared = Assert.Single(directory.Load().Components);

        Assert.Equal(
            "username=app;password=\"p@ss;word\";database=orders;host=db.example;port=5434;ssl mode=Disable;application name=shop;Command Timeout=60",
            declared.Component.Metadata["connectionString"]);
    }

    [Fact]
    public void Load_StatePostgresTableName_IsAcceptedIgnoredAndNoted()
    {
        using var directory = new ResourceDirectory();
        directory.Write("state.yaml", Component("statestore", "state.postgresql", Entry("connectionString", "host=db user=app") + "\n" + Entry("tableName", "state")));

        var resources = directory.Load();

        Assert.False(Assert.Single(resources.Components).Component.Metadata.ContainsKey("tableName"));
        Assert.Contains(resources.Notes, note => note.Contains("spec.metadata 'tableName' accepted and ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SeveralDocumentsInOneFile_ReadsEveryComponentAndSubscription()
    {
        using var directory = new ResourceDirectory();
        directory.Write("all.yaml", string.Join("\n---\n",
            Component("cache", "state.redis", Entry("redisHost", "127.0.0.1:6380") + "\n" + Entry("keyPrefix", "name")),
            Component("events", "pubsub.in-memory"),
            """
            apiVersion: dapr.io/v2alpha1
            kind: Subscription
            metadata:
              name: orders-sub
            spec:
              pubsubname: events
              topic: orders
              routes:
                rules:
                  - match: event.type == "order.created"
                    path: /created
                default: /orders
              deadLetterTopic: orders-dead
              bulkSubscribe:
                enabled: true
                maxMessagesCount: 10
              metadata:
                rawPayload: "true"
            """));

        var resources = directory.Load();

        Assert.Equal(["cache", "events"], resources.Components.Select(declared => declared.Component.Name));
        Assert.Equal("state.redis", resources.Components[0].Component.Type);
        Assert.Equal("127.0.0.1:6380", resources.Components[0].Component.Metadata["redisHost"]);
        Assert.Equal("name", resources.Components[0].Component.Metadata["keyPrefix"]);
        Assert.Equal(ComponentTypes.PubSubBus, resources.Components[1].Component.Type);
        var subscription = Assert.Single(resources.Subscriptions);
        var spec = subscription.Spec;
        Assert.Equal(("orders-sub", "events", "orders", "/orders", "orders-dead"), (subscription.Name, spec.PubsubName, spec.Topic, spec.Routes.DefaultPath, spec.DeadLetterTopic));
        Assert.Equal(new TopicRoutingRule("event.type == \"order.created\"", "/created"), Assert.Single(spec.Routes.Rules));
        Assert.Equal(new BulkSubscribeSettings(true, 10, 1000), spec.Bulk);
        Assert.Equal("true", spec.Metadata["rawPayload"]);
        Assert.Empty(resources.Settings);
    }

    [Fact]
    public void Load_V1Alpha1Subscription_ReadsItsRouteAsTheDefault()
    {
        using var directory = new ResourceDirectory();
        directory.Write("sub.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Subscription
            metadata:
              name: old
            spec:
              pubsubname: pubsub
              topic: orders
              route: /orders
            scopes: [orders]
            """);

        var subscription = Assert.Single(directory.Load().Subscriptions);

        Assert.Equal(("pubsub", "orders", "/orders"), (subscription.Spec.PubsubName, subscription.Spec.Topic, subscription.Spec.Routes.DefaultPath));
        Assert.Empty(subscription.Spec.Routes.Rules);
        Assert.Null(subscription.Spec.Bulk);
    }

    [Fact]
    public void Load_PubSubRabbitMq_PutsTheBusOnItsBrokerAndNotesWhatItIgnores()
    {
        using var directory = new ResourceDirectory();
        directory.Write("pubsub.yaml", Component("pubsub", "pubsub.rabbitmq",
            Entry("connectionString", "amqp://guest:guest@rabbit.example:5672/") + "\n" + Entry("durable", "true") + "\n" + Entry("requeueInFailure", "true") + "\n" + Entry("publishingScopes", "orders=created")));

        var resources = directory.Load();

        var declared = Assert.Single(resources.Components);
        Assert.Equal(("pubsub", ComponentTypes.PubSubBus, "pubsub.rabbitmq"), (declared.Component.Name, declared.Component.Type, declared.DaprType));
        Assert.Equal("orders=created", declared.Component.Metadata["publishingScopes"]);
        Assert.Equal("RabbitMq", resources.Settings["BusRuntime:Transport"]);
        Assert.Equal("amqp://guest:guest@rabbit.example:5672/", resources.Settings["BusRuntime:RabbitMq"]);
        Assert.Contains(resources.Notes, note => note.Contains("'durable' accepted and ignored: BusRuntime's subscription queues are always durable", StringComparison.Ordinal));
        Assert.Contains(resources.Notes, note => note.Contains("'requeueInFailure' accepted and ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_PubSubRabbitMqByHostname_BuildsTheBrokerAddress()
    {
        using var directory = new ResourceDirectory();
        directory.Write("pubsub.yaml", Component("pubsub", "pubsub.rabbitmq",
            Entry("hostname", "rabbit.example:5673") + "\n" + Entry("username", "app") + "\n" + Entry("password", "p@ss")));

        var resources = directory.Load(rabbitMq: "amqp://app:p%40ss@RABBIT.example:5673");

        Assert.Equal("amqp://app:p%40ss@rabbit.example:5673/", resources.Settings["BusRuntime:RabbitMq"]);
    }

    [Fact]
    public void ToConfiguration_Components_AreNumberedAfterTheConfiguredOnes()
    {
        using var directory = new ResourceDirectory();
        directory.Write("a.yaml", Component("cache", "state.in-memory", Entry("keyPrefix", "none")));

        var keys = directory.Load().ToConfiguration(2).ToDictionary(pair => pair.Key, pair => pair.Value);

        Assert.Equal("cache", keys["BusRuntime:Components:2:Name"]);
        Assert.Equal("state.in-memory", keys["BusRuntime:Components:2:Type"]);
        Assert.Equal("none", keys["BusRuntime:Components:2:Metadata:keyPrefix"]);
    }

    [Fact]
    public void Load_ScopesWithoutTheApp_SkipsTheResourceWithANote()
    {
        using var directory = new ResourceDirectory();
        directory.Write("a.yaml", Component("cache", "state.in-memory", extra: "scopes:\n  - billing\n  - shipping"));

        var resources = directory.Load(appId: "orders");

        Assert.Empty(resources.Components);
        Assert.Contains(resources.Notes, note => note.Contains("component 'cache': not loaded: its scopes (billing, shipping) do not list app 'orders'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ScopesWithTheApp_LoadsTheResource()
    {
        using var directory = new ResourceDirectory();
        directory.Write("a.yaml", Component("cache", "state.in-memory", extra: "scopes: [billing, orders]"));

        Assert.Single(directory.Load(appId: "orders").Components);
    }

    [Fact]
    public void Load_SecretKeyRef_ReadsTheSecretFromAuthSecretStore()
    {
        using var directory = new ResourceDirectory();
        directory.Secrets["vault"] = new(StringComparer.Ordinal) { ["redis-password"] = "s3cret" };
        directory.Write("secrets.yaml", Component("vault", "secretstores.local.file", Entry("secretsFile", "/run/secrets.json")));
        directory.Write("state.yaml", Component("cache", "state.redis",
            Entry("redisHost", "127.0.0.1:6379") + "\n  - name: redisPassword\n    secretKeyRef:\n      name: redis-password\n      key: redis-password",
            "auth:\n  secretStore: vault"));

        var cache = directory.Load().Components.Single(declared => declared.Component.Name == "cache");

        Assert.Equal("s3cret", cache.Component.Metadata["redisPassword"]);
    }

    [Fact]
    public void Load_SecretValueTheSidecarRefuses_FailsWithoutShowingIt()
    {
        using var directory = new ResourceDirectory();
        directory.Secrets["envsecrets"] = new(StringComparer.Ordinal) { ["REDIS_HOST"] = "s3cret:host:name" };
        directory.Write("state.yaml", Component("cache", "state.redis", "  - name: redisHost\n    secretKeyRef:\n      name: REDIS_HOST", "auth:\n  secretStore: envsecrets"));

        var failure = directory.Failure();

        Assert.Contains("component 'cache': Metadata:redisHost (a secret) is not host:port", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ValueWithDaprTemplates_ExpandsThem()
    {
        using var directory = new ResourceDirectory();
        directory.Environment["POD_NAME"] = "orders-7f9";
        directory.Write("state.yaml", Component("cache", "state.in-memory", Entry("keyPrefix", "{appID}-{podName}")));

        Assert.Equal("orders-orders-7f9", Assert.Single(directory.Load(appId: "orders").Components).Component.Metadata["keyPrefix"]);
    }

    [Fact]
    public void Load_EnvRef_ReadsTheEnvironmentVariable()
    {
        using var directory = new ResourceDirectory();
        directory.Environment["REDIS_HOST"] = "10.0.0.5:6379";
        directory.Write("state.yaml", Component("cache", "state.redis", "      - name: redisHost\n        envRef: REDIS_HOST"));

        Assert.Equal("10.0.0.5:6379", Assert.Single(directory.Load().Components).Component.Metadata["redisHost"]);
    }

    [Fact]
    public void Load_IgnoreErrors_SkipsABadComponentWithANote()
    {
        using var directory = new ResourceDirectory();
        directory.Write("a.yaml", Component("cache", "state.memcached").Replace("version: v1", "version: v1\n  ignoreErrors: true", StringComparison.Ordinal));

        var resources = directory.Load();

        Assert.Empty(resources.Components);
        Assert.Contains(resources.Notes, note => note.Contains("not loaded (spec.ignoreErrors is true)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("state.memcached", "", "component 'cache': spec.type 'state.memcached' is not a component type BusRuntime has; its state types: state.in-memory, state.postgresql, state.redis.")]
    [InlineData("pubsub.redis", "", "component 'cache': spec.type 'pubsub.redis' is not a component type BusRuntime has; its pubsub types: pubsub.bus, pubsub.in-memory, pubsub.rabbitmq.")]
    [InlineData("middleware.http.oauth2", "", "component 'cache': spec.type 'middleware.http.oauth2' is not a component type BusRuntime has; known: bindings.cron, bindings.http, ")]
    [InlineData("configuration.redis", "", "component 'cache': spec.type 'configuration.redis' is not supported: BusRuntime has no Redis configuration store")]
    [InlineData("state.redis", "      - name: redisHosts\n        value: x", "component 'cache': spec.metadata 'redisHosts' (line 9) is not a setting of state.redis on BusRuntime; its settings: keyPrefix,")]
    [InlineData("state.redis", "      - name: redisHost\n        value: 'not a host:99999'", "component 'cache': Metadata:redisHost 'not a host:99999' is not host:port")]
    [InlineData("state.redis", "      - name: redisType\n        value: cluster", "component 'cache': spec.metadata 'redisType' (line 9) must be 'node' on BusRuntime: BusRuntime talks to one Redis server")]
    [InlineData("state.redis", "      - name: redisHost\n        value: a\n      - name: REDISHOST\n        value: b", "component 'cache': spec.metadata 'REDISHOST' (line 11) is set twice")]
    [InlineData("state.redis", "      - name: redisHost\n        value: [a, b]", "component 'cache': spec.metadata 'redisHost' value (line 10) is a sequence, not a scalar.")]
    [InlineData("state.redis", "      - name: redisHost\n        valu: a", "component 'cache': spec.metadata[0].valu (line 10) is not a field of spec.metadata[0]; its fields: name, value, secretKeyRef, envRef.")]
    [InlineData("state.redis", "      - name: redisHost\n        secretKeyRef:\n          name: host", "component 'cache': spec.metadata 'redisHost' secretKeyRef needs auth.secretStore naming the secret store")]
    [InlineData("state.postgresql", "      - name: connectionString\n        value: host=db password=s3cret color=blue", "component 'cache': spec.metadata 'connectionString' (line 9) names keyword 'color', which BusRuntime cannot translate to Npgsql")]
    [InlineData("state.postgresql", "      - name: connectionString\n        value: host=db password=s3cret sslmode=sometimes", "component 'cache': spec.metadata 'connectionString' (line 9) sslmode 'sometimes' is not one of: disable, allow, prefer, require, verify-ca, verify-full.")]
    [InlineData("state.postgresql", "      - name: connectionString\n        value: Host=db;Password=s3cret;Port", "component 'cache': spec.metadata 'connectionString' (line 9) is not a PostgreSQL connection string: give libpq keywords")]
    [InlineData("state.postgresql", "      - name: maxConns\n        value: 5", "component 'cache': spec.metadata 'maxConns' needs spec.metadata connectionString")]
    [InlineData("state.postgresql", "      - name: connectionString\n        value: host=db\n      - name: timeout\n        value: soon", "component 'cache': spec.metadata 'timeout' (line 11) 'soon' must be whole seconds from 1 to 3600")]
    [InlineData("pubsub.rabbitmq", "      - name: maxLen\n        value: 3000", "component 'cache': spec.metadata 'maxLen' (line 9) is not a setting of pubsub.rabbitmq on BusRuntime")]
    [InlineData("pubsub.rabbitmq", "      - name: durable\n        value: true", "component 'cache': spec.metadata names no broker: set connectionString")]
    [InlineData("pubsub.rabbitmq", "      - name: connectionString\n        value: localhost", "component 'cache': spec.metadata 'connectionString' is not an address of the form amqp://user:password@host:port/vhost")]
    [InlineData("secretstores.local.file", "      - name: multiValued\n        value: true", "component 'cache': spec.metadata 'multiValued' (line 9) must be 'false' on BusRuntime")]
    public void Load_BadComponent_FailsNamingTheFileTheComponentAndTheField(string type, string metadata, string message)
    {
        using var directory = new ResourceDirectory();
        var file = directory.Write("bad.yaml", Component("cache", type, metadata));

        var failure = directory.Failure();

        Assert.StartsWith($"{file} (line 1): ", failure, StringComparison.Ordinal);
        Assert.True(failure.Contains(message, StringComparison.Ordinal), failure);
        Assert.DoesNotContain("s3cret", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apiVersion: dapr.io/v2\nkind: Component\nmetadata:\n  name: cache\nspec:\n  type: state.in-memory", "(line 1): component 'cache': apiVersion 'dapr.io/v2' is not dapr.io/v1alpha1")]
    [InlineData("apiVersion: dapr.io/v1alpha1\nkind: Resiliency\nmetadata:\n  name: retries", "(line 1): document 1: kind 'Resiliency' ('retries') is not supported: retries, timeouts and circuit breakers are BusRuntime:Invoke:*")]
    [InlineData("apiVersion: dapr.io/v1alpha1\nkind: Widget\nmetadata:\n  name: w", "(line 1): document 1: kind 'Widget' is not one of: Component, Subscription.")]
    [InlineData("apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: cache", "(line 1): component 'cache': spec is missing.")]
    [InlineData("apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: cache\nspec:\n  type: state.in-memory\n  versions: v1", "(line 1): component 'cache': spec.versions (line 7) is not a field of spec; its fields: type, version, metadata, ignoreErrors, initTimeout.")]
    [InlineData("apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: cache\nspec:\n  type: state.in-memory\n  version: v3", "(line 1): component 'cache': spec.version 'v3' is not one of: v1.")]
    [InlineData("apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: cache.v2\nspec:\n  type: state.in-memory", "(line 1): component 'cache.v2': metadata.name must match")]
    [InlineData("apiVersion: dapr.io/v1alpha1\nkind: Component\nspec:\n  type: state.in-memory", "(line 1): document 1: metadata: name is missing.")]
    [InlineData("- a\n- b", "(line 1): document 1 is a sequence, not a resource")]
    [InlineData("apiVersion: dapr.io/v1alpha1\nkind: Component\n  metadata: [", "line 3: not valid YAML")]
    [InlineData("a: 1\na: 2", "line 2: key 'a' appears twice in one mapping.")]
    public void Load_BadDocument_FailsNamingTheFileAndTheField(string yaml, string message)
    {
        using var directory = new ResourceDirectory();
        var file = directory.Write("bad.yaml", yaml);

        var failure = directory.Failure();

        Assert.StartsWith(file, failure, StringComparison.Ordinal);
        Assert.True(failure.Contains(message, StringComparison.Ordinal), failure);
    }

    [Theory]
    [InlineData("spec:\n  pubsubname: nowhere\n  topic: orders\n  routes:\n    default: /o", "spec.pubsubname 'nowhere' is not a pub/sub component; configured: pubsub.")]
    [InlineData("spec:\n  pubsubname: pubsub\n  topic: orders_error\n  routes:\n    default: /o", "spec.topic 'orders_error' must match")]
    [InlineData("spec:\n  pubsubname: pubsub\n  topic: orders\n  routes: {}", "spec.routes has neither rules nor a default route")]
    [InlineData("spec:\n  pubsubname: pubsub\n  topic: orders\n  route: /o", "spec.route (line 8) is not a field of spec; its fields: pubsubname, topic, routes,")]
    [InlineData("spec:\n  pubsubname: pubsub\n  topic: orders\n  routes:\n    rules:\n      - match: x", "spec.routes.rules[0]: path is missing.")]
    [InlineData("spec:\n  pubsubname: pubsub\n  topic: orders\n  routes:\n    rules:\n      - match: event.type ==\n        path: /x", "spec.routes the match expression of routing rule 1 (match 'event.type ==') is not valid CEL")]
    [InlineData("spec:\n  pubsubname: pubsub\n  topic: orders\n  routes:\n    default: /o\n  deadLetterTopic: orders", "spec.deadLetterTopic 'orders' is the subscription's own topic")]
    [InlineData("spec:\n  pubsubname: pubsub\n  topic: orders\n  routes:\n    default: /o\n  bulkSubscribe:\n    enabled: true\n    maxMessagesCount: 0", "spec.bulkSubscribe.maxMessagesCount '0' must be a whole number between 1 and 1000.")]
    public void Load_BadSubscription_FailsNamingTheFileTheSubscriptionAndTheField(string spec, string message)
    {
        using var directory = new ResourceDirectory();
        var file = directory.Write("sub.yaml", $"apiVersion: dapr.io/v2alpha1\nkind: Subscription\nmetadata:\n  name: orders-sub\n{spec}");

        var failure = directory.Failure();

        Assert.StartsWith($"{file} (line 1): subscription 'orders-sub': ", failure, StringComparison.Ordinal);
        Assert.True(failure.Contains(message, StringComparison.Ordinal), failure);
    }

    [Fact]
    public void Load_SameComponentInTwoFiles_FailsNamingBoth()
    {
        using var directory = new ResourceDirectory();
        var first = directory.Write("a.yaml", Component("cache", "state.in-memory"));
        var second = directory.Write("b.yaml", Component("cache", "state.in-memory"));

        var failure = directory.Failure();

        Assert.Equal($"{second} (line 1): component 'cache': metadata.name is declared twice: also in {first} (line 1).", failure);
    }

    [Fact]
    public void Load_ComponentAlsoConfigured_FailsNamingTheFile()
    {
        using var directory = new ResourceDirectory();
        var file = directory.Write("a.yaml", Component("cache", "state.in-memory"));

        var failure = directory.Failure(configured: new ComponentOptions { Name = "cache", Type = "state.redis" });

        Assert.Equal($"{file} (line 1): component 'cache': metadata.name is also declared in BusRuntime:Components; component names must be unique.", failure);
    }

    [Fact]
    public void Load_SecretTheStoreLacks_FailsNamingTheSecretNotAValue()
    {
        using var directory = new ResourceDirectory();
        var file = directory.Write("state.yaml", Component("cache", "state.redis",
            "      - name: redisPassword\n        secretKeyRef:\n          name: missing",
            "auth:\n  secretStore: envsecrets"));

        var failure = directory.Failure();

        Assert.Equal($"{file} (line 1): component 'cache': spec.metadata 'redisPassword' secretKeyRef names secret 'missing', which secret store 'envsecrets' does not have.", failure);
    }

    [Fact]
    public void Load_RabbitMqAgainstAnotherConfiguredBroker_FailsOneBusOneBroker()
    {
        using var directory = new ResourceDirectory();
        directory.Write("pubsub.yaml", Component("pubsub", "pubsub.rabbitmq", Entry("connectionString", "amqp://guest:guest@rabbit-a:5672/")));

        Assert.Contains("names another broker than BusRuntime:RabbitMq (--rabbitmq): one sidecar has one bus", directory.Failure(rabbitMq: "amqp://guest:guest@rabbit-b:5672/"), StringComparison.Ordinal);
        Assert.Contains("but BusRuntime:Transport (--transport) is 'InMemory': one sidecar has one bus.", directory.Failure(transport: "InMemory"), StringComparison.Ordinal);
        Assert.Equal("RabbitMq", directory.Load(transport: "RabbitMq", rabbitMq: "amqp://guest:guest@rabbit-a").Settings["BusRuntime:Transport"]);
    }

    [Fact]
    public void Load_TwoRabbitMqPubSubsOnDifferentBrokers_Fails()
    {
        using var directory = new ResourceDirectory();
        directory.Write("a.yaml", Component("one", "pubsub.rabbitmq", Entry("connectionString", "amqp://guest:guest@rabbit-a:5672/")));
        directory.Write("b.yaml", Component("two", "pubsub.rabbitmq", Entry("connectionString", "amqp://guest:guest@rabbit-b:5672/")));

        Assert.Contains("component 'two': spec.metadata names another broker than pubsub.rabbitmq component 'one'", directory.Failure(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NestingBeyondTheBound_Fails()
    {
        using var directory = new ResourceDirectory();
        directory.Write("deep.yaml", new string('[', 40) + new string(']', 40));

        Assert.Contains("nested deeper than 32 levels", directory.Failure(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileOverTheSizeBound_Fails()
    {
        using var directory = new ResourceDirectory();
        directory.Write("big.yaml", "# " + new string('x', (int)ResourceFiles.MaxFileBytes));

        Assert.Contains($"over the maximum of {ResourceFiles.MaxFileBytes} for a resource file", directory.Failure(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingPath_FailsNamingTheKeyAndTheFlag()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => ResourceFiles.Load(
            ["/nonexistent/components"],
            new ResourceContext("orders", [], null, null, (_, _) => null, _ => null))).Message;

        Assert.Equal("BusRuntime:ResourcesPaths:0 (--resources-path) '/nonexistent/components' is neither a directory nor a file.", failure);
    }

    [Fact]
    public void Load_OtherFilesAndEmptyDocuments_AreSkipped()
    {
        using var directory = new ResourceDirectory();
        directory.Write("readme.md", "not yaml: [");
        directory.Write("a.yaml", "---\n---\n" + Component("cache", "state.in-memory"));

        var resources = directory.Load();

        Assert.Single(resources.Files);
        Assert.Single(resources.Components);
    }
}
