using BusRuntime.Protos.V1;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Sequences;

/// <summary>busruntime.v1 GetNextId against the embedded default store "sequencer" (in memory).</summary>
public sealed class SequenceApiTests(EmbeddedSidecar embedded) : IClassFixture<EmbeddedSidecar>
{
    private Runtime.RuntimeClient Runtime => embedded.Sidecar.Runtime;

    [Theory]
    [InlineData(SequencerOptions.Types.AutoIncrement.Strong)]
    [InlineData(SequencerOptions.Types.AutoIncrement.Weak)]
    public async Task GetNextId_OneCallerAfterAnother_StartsAtOneAndIncreasesByOne(SequencerOptions.Types.AutoIncrement increment)
    {
        var key = EmbeddedSidecar.Key("order-id");

        var ids = new List<long>();
        for (var call = 0; call < 5; call++)
        {
            ids.Add(await NextAsync(key, increment));
        }

        Assert.Equal([1, 2, 3, 4, 5], ids);
    }

    [Fact]
    public async Task GetNextId_ConcurrentCallers_HandsOutEveryIdOnce()
    {
        var key = EmbeddedSidecar.Key("concurrent");

        var ids = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => NextAsync(key, SequencerOptions.Types.AutoIncrement.Strong)));

        Assert.Equal(Enumerable.Range(1, 200).Select(id => (long)id), ids.Order());
    }

    [Fact]
    public async Task GetNextId_TwoKeys_EachCountsFromOne()
    {
        var first = EmbeddedSidecar.Key("a");
        var second = EmbeddedSidecar.Key("b");

        await NextAsync(first, SequencerOptions.Types.AutoIncrement.Strong);
        await NextAsync(first, SequencerOptions.Types.AutoIncrement.Strong);

        Assert.Equal(1, await NextAsync(second, SequencerOptions.Types.AutoIncrement.Strong));
    }

    [Theory]
    [InlineData("", "k", StatusCode.InvalidArgument, "store_name is empty; name a sequencer store: sequencer.")]
    [InlineData("snowflake", "k", StatusCode.NotFound, "store_name 'snowflake' is not a configured sequencer store; configured: sequencer.")]
    [InlineData("sequencer", "", StatusCode.InvalidArgument, "key is empty; name the key.")]
    public async Task GetNextId_BadInput_ReturnsPreciseStatus(string storeName, string key, StatusCode code, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Runtime.GetNextIdAsync(new GetNextIdRequest { StoreName = storeName, Key = key }));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
    }

    private async Task<long> NextAsync(string key, SequencerOptions.Types.AutoIncrement increment) =>
        (await Runtime.GetNextIdAsync(new GetNextIdRequest { StoreName = "sequencer", Key = key, Options = new SequencerOptions { Increment = increment } })).NextId;
}
