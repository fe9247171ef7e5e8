using BusRuntime.Core.State;
using BusRuntime.Stores.InMemory.State;
using Microsoft.Extensions.Time.Testing;

namespace BusRuntime.Stores.Tests.State;

public sealed class InMemoryStateQueryTests : StateQueryBehaviour
{
    private readonly FakeTimeProvider clock = new();

    protected override IQueryableStateStore CreateStore(string name) => new InMemoryStateStore(clock);

    protected override Task ElapseAsync(TimeSpan duration)
    {
        clock.Advance(duration);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task QueryAsync_MixedKindsOfASortKey_OrderedAsPostgresOrdersJsonb()
    {
        await SaveAsync(Shop, ("object", """{"v": {}}"""), ("array", """{"v": []}"""), ("true", """{"v": true}"""), ("false", """{"v": false}"""),
            ("number", """{"v": 1}"""), ("string", """{"v": "a"}"""), ("null", """{"v": null}"""));

        var page = await QueryAsync("""{"sort": [{"key": "v"}]}""");

        Assert.Equal(["null", "string", "number", "false", "true", "array", "object"], AppKeys(page));
    }

    [Fact]
    public async Task QueryAsync_StringsSortByCodePoint_NotByCulture()
    {
        await SaveAsync(Shop, ("lower", """{"v": "a"}"""), ("upper", """{"v": "B"}"""), ("accent", """{"v": "é"}"""), ("emoji", """{"v": "😀"}"""), ("private", """{"v": "\uE000"}"""));

        var page = await QueryAsync("""{"sort": [{"key": "v"}]}""");

        Assert.Equal(["upper", "lower", "accent", "private", "emoji"], AppKeys(page));
    }
}
