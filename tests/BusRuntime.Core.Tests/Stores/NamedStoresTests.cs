using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Locks;
using BusRuntime.Core.Stores;
using BusRuntime.Stores.InMemory.Locks;

namespace BusRuntime.Core.Tests.Stores;

public sealed class NamedStoresTests
{
    private static readonly IStoreFactory<ILockStore>[] Factories =
        [new StoreFactory<ILockStore>(ComponentTypes.LockInMemory, _ => new InMemoryLockStore(TimeProvider.System))];

    [Fact]
    public void Constructor_KeyPrefixWithSeparator_ThrowsNamingTheKey()
    {
        var component = new ComponentOptions { Name = "locks", Type = ComponentTypes.LockInMemory, Metadata = { ["keyPrefix"] = "a||b" } };

        var error = Assert.Throws<InvalidOperationException>(() => new NamedStores<ILockStore>(ComponentKind.Lock, [component], Factories, "orders"));

        Assert.Equal("BusRuntime:Components[locks]:Metadata:keyPrefix 'a||b' must not contain '||'.", error.Message);
    }

    [Fact]
    public void Constructor_TypeWithoutImplementation_ThrowsListingTheAvailableTypes()
    {
        var component = new ComponentOptions { Name = "locks", Type = ComponentTypes.LockPostgres };

        var error = Assert.Throws<InvalidOperationException>(() => new NamedStores<ILockStore>(ComponentKind.Lock, [component], Factories, "orders"));

        Assert.Equal("BusRuntime:Components[locks]:Type 'lock.postgresql' has no implementation in this sidecar; available: lock.in-memory.", error.Message);
    }

    [Theory]
    [InlineData(null, "orders||invoice-7")]
    [InlineData("appid", "orders||invoice-7")]
    [InlineData("name", "locks||invoice-7")]
    [InlineData("none", "invoice-7")]
    [InlineData("billing", "billing||invoice-7")]
    public void ToStorageKey_KeyPrefixSetting_ScopesTheKey(string? keyPrefix, string stored)
    {
        var component = new ComponentOptions { Name = "locks", Type = ComponentTypes.LockInMemory };
        if (keyPrefix is not null)
        {
            component.Metadata["keyPrefix"] = keyPrefix;
        }

        var store = new NamedStores<ILockStore>(ComponentKind.Lock, [component], Factories, "orders").Get("locks");

        Assert.Equal(stored, store.Keys.ToStorageKey("invoice-7", "resource_id"));
    }

    [Fact]
    public void ToStorageKey_KeyOverTheMaximumLength_IsInvalidArgument()
    {
        var store = new NamedStores<ILockStore>(ComponentKind.Lock, [new ComponentOptions { Name = "locks", Type = ComponentTypes.LockInMemory }], Factories, "orders").Get("locks");

        var error = Assert.Throws<RuntimeException>(() => store.Keys.ToStorageKey(new string('k', 1025), "resource_id"));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Equal("resource_id is 1025 characters long, over the maximum of 1024.", error.Message);
    }
}
