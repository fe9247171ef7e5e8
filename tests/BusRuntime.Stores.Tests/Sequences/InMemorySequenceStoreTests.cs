using BusRuntime.Core.Sequences;
using BusRuntime.Stores.InMemory.Sequences;

namespace BusRuntime.Stores.Tests.Sequences;

public sealed class InMemorySequenceStoreTests : SequenceStoreBehaviour
{
    protected override ISequenceStore CreateStore(string name) => new InMemorySequenceStore();
}
