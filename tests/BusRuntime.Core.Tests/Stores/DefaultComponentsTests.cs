using BusRuntime.Core.Configuration;
using BusRuntime.Core.State;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Tests.Stores;

public sealed class DefaultComponentsTests
{
    private static List<(string Name, string Type)> Apply(string? postgres, params ComponentOptions[] declared)
    {
        var options = new ComponentsOptions { Components = [.. declared] };
        new DefaultComponents(Options.Create(new StoreOptions { Postgres = postgres })).PostConfigure(null, options);
        return [.. options.Components.Select(component => (component.Name, component.Type))];
    }

    [Fact]
    public void PostConfigure_NothingDeclared_AddsDaprsDefaultNamesInMemory()
    {
        Assert.Equal(
            [
                ("pubsub", "pubsub.bus"), ("statestore", "state.in-memory"), ("lockstore", "lock.in-memory"), ("sequencer", "sequencer.in-memory"),
                ("configstore", "configuration.in-memory"), ("secretstore", "secretstores.local.file"), ("envsecrets", "secretstores.local.env"),
                ("file_demo", "file.local"), ("quick_start_demo", "hello.helloworld"),
            ],
            Apply(null));
    }

    [Fact]
    public void PostConfigure_PostgresConfigured_PutsTheDefaultStoresOnPostgresAndKeepsTheSecretStoresAndFilesLocal()
    {
        Assert.Equal(
            [
                ("pubsub", "pubsub.bus"), ("statestore", "state.postgresql"), ("lockstore", "lock.postgresql"), ("sequencer", "sequencer.postgresql"),
                ("configstore", "configuration.postgresql"), ("secretstore", "secretstores.local.file"), ("envsecrets", "secretstores.local.env"),
                ("file_demo", "file.local"), ("quick_start_demo", "hello.helloworld"),
            ],
            Apply("Host=db;Username=app;Password=secret;Database=app"));
    }

    [Fact]
    public void PostConfigure_AStateStoreDeclared_KeepsItAndAddsOnlyTheOtherKinds()
    {
        var components = Apply(null, new ComponentOptions { Name = "orders", Type = "state.in-memory" });

        Assert.Equal(
            [
                ("orders", "state.in-memory"), ("pubsub", "pubsub.bus"), ("lockstore", "lock.in-memory"), ("sequencer", "sequencer.in-memory"),
                ("configstore", "configuration.in-memory"), ("secretstore", "secretstores.local.file"), ("envsecrets", "secretstores.local.env"),
                ("file_demo", "file.local"), ("quick_start_demo", "hello.helloworld"),
            ],
            components);
    }

    [Fact]
    public void PostConfigure_ASecretStoreDeclared_ReplacesBothDefaultSecretStores()
    {
        var components = Apply(null, new ComponentOptions { Name = "vault", Type = "secretstores.local.env" });

        Assert.Equal(["vault"], components.Where(component => component.Type.StartsWith("secretstores.", StringComparison.Ordinal)).Select(component => component.Name));
    }

    [Fact]
    public void PostConfigure_NothingDeclared_AddsNoBinding()
    {
        Assert.DoesNotContain(Apply(null), component => component.Type.StartsWith("bindings.", StringComparison.Ordinal));
    }

    [Fact]
    public void PostConfigure_AFileStoreDeclared_ReplacesTheDefaultOne()
    {
        var components = Apply(null, new ComponentOptions { Name = "blobs", Type = "file.postgresql" });

        Assert.Equal(["blobs"], components.Where(component => component.Type.StartsWith("file.", StringComparison.Ordinal)).Select(component => component.Name));
    }

    [Fact]
    public async Task EnsureStoresConfigured_BadBooleanMetadata_ThrowsNamingTheKey()
    {
        await using var core = await CoreHarness.StartAsync(new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "statestore",
            ["BusRuntime:Components:0:Type"] = "state.in-memory",
            ["BusRuntime:Components:0:Metadata:publishChanges"] = "yes",
        });

        var error = Assert.Throws<InvalidOperationException>(() => core.Get<StateManager>());

        Assert.Equal("BusRuntime:Components[statestore]:Metadata:publishChanges 'yes' is not one of: true, false.", error.Message);
    }
}
