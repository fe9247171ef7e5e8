using BusRuntime.Contracts;
using BusRuntime.Core.State;

namespace BusRuntime.Core.Tests.State;

public sealed class StateChangeEventTests
{
    private static Dictionary<string, string?> Store(string publishChanges, string? publishValues = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "statestore",
            ["BusRuntime:Components:0:Type"] = "state.in-memory",
            ["BusRuntime:Components:0:Metadata:publishChanges"] = publishChanges,
        };
        if (publishValues is not null)
        {
            settings["BusRuntime:Components:0:Metadata:publishValues"] = publishValues;
        }

        return settings;
    }

    [Fact]
    public async Task SaveAsync_StorePublishesChanges_PublishesOneEventPerCommittedWriteWithoutTheValue()
    {
        await using var core = await CoreHarness.StartAsync(Store("true"));
        var state = core.Get<StateManager>();

        await state.SaveAsync("statestore", [StateChange.Upsert("order-1", "{}"u8.ToArray())], CancellationToken.None);
        await state.DeleteAsync("statestore", StateChange.Delete("order-1"), CancellationToken.None);

        var events = await PublishedAsync(core);
        Assert.Equal(2, events.Count);
        var upsert = events.Single(change => change.Operation == StateChanged.Upsert);
        var delete = events.Single(change => change.Operation == StateChanged.Delete);
        Assert.Equal(("statestore", "orders", "order-1"), (upsert.StoreName, upsert.AppId, upsert.Key));
        Assert.NotNull(upsert.ETag);
        Assert.Null(upsert.Value);
        Assert.Null(delete.ETag);
    }

    [Fact]
    public async Task SaveAsync_StorePublishesValues_TheEventCarriesTheValueAndTheNewEtag()
    {
        await using var core = await CoreHarness.StartAsync(Store("true", "true"));
        var state = core.Get<StateManager>();

        await state.SaveAsync("statestore", [StateChange.Upsert("order-2", "{\"total\":3}"u8.ToArray())], CancellationToken.None);

        var change = Assert.Single(await PublishedAsync(core));
        Assert.Equal("{\"total\":3}"u8.ToArray(), change.Value);
        Assert.Equal((await state.GetAsync("statestore", "order-2", CancellationToken.None)).ETag, change.ETag);
    }

    [Fact]
    public async Task SaveAsync_ByDefault_PublishesNothing()
    {
        await using var core = await CoreHarness.StartAsync();
        var state = core.Get<StateManager>();

        await state.SaveAsync("statestore", [StateChange.Upsert("quiet", "1"u8.ToArray())], CancellationToken.None);

        Assert.False(await core.Harness.Published.Any<StateChanged>());
    }

    [Fact]
    public async Task SaveAsync_WriteAborted_PublishesNothing()
    {
        await using var core = await CoreHarness.StartAsync(Store("true"));
        var state = core.Get<StateManager>();

        await Assert.ThrowsAsync<Core.Errors.RuntimeException>(() =>
            state.SaveAsync("statestore", [StateChange.Upsert("guarded", "1"u8.ToArray(), etag: "12345")], CancellationToken.None));

        Assert.False(await core.Harness.Published.Any<StateChanged>());
    }

    private static async Task<List<StateChanged>> PublishedAsync(CoreHarness core)
    {
        var events = new List<StateChanged>();
        await foreach (var published in core.Harness.Published.SelectAsync<StateChanged>())
        {
            events.Add(published.Context.Message);
        }

        return events;
    }
}
