using BusRuntime.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace BusRuntime.Core.Tests.Configuration;

public sealed class ComponentsOptionsValidatorTests
{
    private static ComponentsOptions With(params (string Name, string Type)[] components) =>
        new() { Components = [.. components.Select(component => new ComponentOptions { Name = component.Name, Type = component.Type })] };

    [Fact]
    public void Validate_DistinctWellNamedComponents_Succeeds()
    {
        var result = new ComponentsOptionsValidator().Validate(null, With(("pubsub", "pubsub.bus"), ("audit-events", "pubsub.bus")));

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_UnknownType_FailsNamingTheKeyAndTheAllowedTypes()
    {
        var result = new ComponentsOptionsValidator().Validate(null, With(("pubsub", "pubsub.kafka")));

        Assert.True(result.Failed);
        Assert.Equal("BusRuntime:Components:0:Type 'pubsub.kafka' is not one of: pubsub.bus, state.in-memory, state.postgresql, state.redis, lock.in-memory, lock.postgresql, lock.redis, sequencer.in-memory, sequencer.postgresql, configuration.in-memory, configuration.postgresql, secretstores.local.file, secretstores.local.env, file.local, file.postgresql, bindings.http, bindings.rabbitmq, bindings.cron, bindings.postgresql, hello.helloworld.", Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_NameTwice_FailsNamingTheSecond()
    {
        var result = new ComponentsOptionsValidator().Validate(null, With(("pubsub", "pubsub.bus"), ("pubsub", "pubsub.bus")));

        Assert.Equal("BusRuntime:Components:1:Name 'pubsub' is declared twice; component names must be unique.", Assert.Single(result.Failures!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("pub.sub")]
    [InlineData("-pubsub")]
    [InlineData("a-component-name-of-33-characters")]
    public void Validate_BadName_FailsWithThePattern(string name)
    {
        var result = new ComponentsOptionsValidator().Validate(null, With((name, "pubsub.bus")));

        Assert.Equal($"BusRuntime:Components:0:Name '{name}' must match {Names.ComponentNamePattern}.", Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_MisspeltMetadataKey_FailsListingTheTypesSettings()
    {
        var options = new ComponentsOptions
        {
            Components = [new ComponentOptions { Name = "statestore", Type = "state.postgresql", Metadata = { ["keyPrefx"] = "none", ["PUBLISHCHANGES"] = "true" } }],
        };

        var result = new ComponentsOptionsValidator().Validate(null, options);

        Assert.Equal(
            "BusRuntime:Components:0:Metadata:keyPrefx is not a setting of state.postgresql; its settings: keyPrefix, publishChanges, publishValues, connectionString, schema.",
            Assert.Single(result.Failures!));
    }

    [Theory]
    [InlineData("configuration.in-memory", "keyPrefix", "BusRuntime:Components:0:Metadata:keyPrefix is not a setting of configuration.in-memory; its settings: readScopes.")]
    [InlineData("configuration.postgresql", "keyPrefix", "BusRuntime:Components:0:Metadata:keyPrefix is not a setting of configuration.postgresql; its settings: readScopes, connectionString, schema.")]
    [InlineData("secretstores.local.file", "secretFile", "BusRuntime:Components:0:Metadata:secretFile is not a setting of secretstores.local.file; its settings: secretsFile, nestedSeparator, allowedSecrets.")]
    [InlineData("secretstores.local.env", "allowedKeys", "BusRuntime:Components:0:Metadata:allowedKeys is not a setting of secretstores.local.env; its settings: prefix, allowedSecrets.")]
    public void Validate_ConfigurationOrSecretStoreWithAMetadataKeyItsTypeDoesNotKnow_FailsListingItsSettings(string type, string metadataKey, string message)
    {
        var options = new ComponentsOptions { Components = [new ComponentOptions { Name = "store", Type = type, Metadata = { [metadataKey] = "x" } }] };

        var result = new ComponentsOptionsValidator().Validate(null, options);

        Assert.Equal(message, Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_ComponentNamedBus_FailsAsReserved()
    {
        var result = new ComponentsOptionsValidator().Validate(null, With(("bus", "state.in-memory")));

        Assert.Equal("BusRuntime:Components:0:Name 'bus' is reserved (readiness reports the bus under it); choose another name.", Assert.Single(result.Failures!));
    }

    [Fact]
    public void Metadata_BoundFromConfigurationInAnotherCase_IsFoundByItsDocumentedName()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["BusRuntime:Components:0:Name"] = "statestore",
                ["BusRuntime:Components:0:Type"] = "state.in-memory",
                ["BusRuntime:Components:0:Metadata:KEYPREFIX"] = "none",
            })
            .Build();

        var options = new ComponentsOptions();
        configuration.GetSection("BusRuntime").Bind(options);

        Assert.Equal("none", ComponentMetadata.GetString(options.Components[0], "keyPrefix"));
    }

    [Fact]
    public void Validate_PubSubWithTopicScopes_Succeeds()
    {
        var options = new ComponentsOptions
        {
            Components =
            [
                new ComponentOptions
                {
                    Name = "pubsub",
                    Type = "pubsub.bus",
                    Metadata = { ["publishingScopes"] = "app1=a;app2=", ["SubscriptionScopes"] = "app1=a,b", ["allowedTopics"] = "a,b", ["protectedTopics"] = "b" },
                },
            ],
        };

        Assert.True(new ComponentsOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_PubSubWithMisspeltScopeKey_FailsListingTheScopeSettings()
    {
        var options = new ComponentsOptions
        {
            Components = [new ComponentOptions { Name = "pubsub", Type = "pubsub.bus", Metadata = { ["publishScopes"] = "app1=a" } }],
        };

        var result = new ComponentsOptionsValidator().Validate(null, options);

        Assert.Equal(
            "BusRuntime:Components:0:Metadata:publishScopes is not a setting of pubsub.bus; its settings: publishingScopes, subscriptionScopes, allowedTopics, protectedTopics.",
            Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_PubSubWithMalformedScopes_FailsNamingEachKey()
    {
        var options = new ComponentsOptions
        {
            Components =
            [
                new ComponentOptions { Name = "events", Type = "pubsub.bus" },
                new ComponentOptions { Name = "audit", Type = "pubsub.bus", Metadata = { ["subscriptionScopes"] = "app1:a", ["allowedTopics"] = "a b/c" } },
            ],
        };

        var result = new ComponentsOptionsValidator().Validate(null, options);

        Assert.Equal(
            [
                "BusRuntime:Components:1:Metadata:subscriptionScopes: entry 'app1:a' is not app=topic1,topic2 (entries are separated by ';', an app with no topic is written app=).",
                "BusRuntime:Components:1:Metadata:allowedTopics: 'ab/c' is not a topic any app can use; topics match ^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ and do not end with _error or _skipped.",
            ],
            result.Failures!);
    }

    private static ComponentsOptions Redis(string type, Dictionary<string, string> metadata) =>
        new() { Components = [new ComponentOptions { Name = "statestore", Type = type, Metadata = new(metadata, StringComparer.OrdinalIgnoreCase) }] };

    [Theory]
    [InlineData("state.redis", "127.0.0.1:6379")]
    [InlineData("lock.redis", "redis.internal")]
    [InlineData("state.redis", "[::1]:6380")]
    public void Validate_RedisWithDaprsMetadata_Succeeds(string type, string host)
    {
        var result = new ComponentsOptionsValidator().Validate(null, Redis(type, new()
        {
            ["redisHost"] = host, ["redisPassword"] = "secret", ["redisUsername"] = "app", ["enableTLS"] = "true", ["redisDB"] = "3", ["keyPrefix"] = "name",
        }));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_RedisWithoutHost_FailsSayingWhatToGive()
    {
        var result = new ComponentsOptionsValidator().Validate(null, Redis("state.redis", []));

        Assert.Equal(
            "BusRuntime:Components:0:Metadata:redisHost is required for a state.redis component: give the Redis server as host:port, e.g. 127.0.0.1:6379.",
            Assert.Single(result.Failures!));
    }

    [Theory]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:port")]
    [InlineData("a:6379,b:6379")]
    [InlineData("::1")]
    [InlineData("redis host:6379")]
    public void Validate_RedisWithMalformedHost_FailsNamingTheKey(string host)
    {
        var result = new ComponentsOptionsValidator().Validate(null, Redis("lock.redis", new() { ["redisHost"] = host }));

        Assert.StartsWith($"BusRuntime:Components:0:Metadata:redisHost '{host}' is not host:port:", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RedisWithMalformedTlsAndDatabase_FailsNamingEachKey()
    {
        var result = new ComponentsOptionsValidator().Validate(null, Redis("state.redis", new() { ["redisHost"] = "127.0.0.1:6379", ["enableTLS"] = "yes", ["redisDB"] = "-1" }));

        Assert.Equal(
            [
                "BusRuntime:Components:0:Metadata:enableTLS 'yes' is not one of: true, false.",
                "BusRuntime:Components:0:Metadata:redisDB '-1' must be a whole number between 0 and 65535.",
            ],
            result.Failures!);
    }

    [Fact]
    public void Validate_RedisWithASentinelKey_FailsListingItsSettings()
    {
        var result = new ComponentsOptionsValidator().Validate(null, Redis("state.redis", new() { ["redisHost"] = "127.0.0.1:6379", ["sentinelMasterName"] = "main" }));

        Assert.Equal(
            "BusRuntime:Components:0:Metadata:sentinelMasterName is not a setting of state.redis; its settings: keyPrefix, publishChanges, publishValues, redisHost, redisPassword, redisUsername, enableTLS, redisDB.",
            Assert.Single(result.Failures!));
    }
}
