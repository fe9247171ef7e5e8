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

        Assert.Equal("BusRuntime:Components[locks]:Metadata:keyPrefix 'a||b' contains '||', which separates a key from its scope; choose another key.", error.Message);
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
    [InlineData("None", "invoice-7")]
    [InlineData("AppId", "orders||invoice-7")]
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

    [Theory]
    [InlineData(1025, 'k', "resource_id is 1025 bytes long in UTF-8, over the maximum of 1024.")]
    [InlineData(342, '鍵', "resource_id is 1026 bytes long in UTF-8, over the maximum of 1024.")]
    [InlineData(1, '\0', "resource_id contains a control character; use printable text.")]
    [InlineData(1, '\n', "resource_id contains a control character; use printable text.")]
    [InlineData(1, '\uD800', "resource_id is not valid Unicode (it has a lone surrogate).")]
    public void ToStorageKey_KeyAStoreCannotKeep_IsInvalidArgument(int count, char character, string message)
    {
        var store = new NamedStores<ILockStore>(ComponentKind.Lock, [new ComponentOptions { Name = "locks", Type = ComponentTypes.LockInMemory }], Factories, "orders").Get("locks");

        var error = Assert.Throws<RuntimeException>(() => store.Keys.ToStorageKey(new string(character, count), "resource_id"));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void ToStorageKey_KeyOfTheMaximumLengthInBytes_IsAccepted()
    {
        var store = new NamedStores<ILockStore>(ComponentKind.Lock, [new ComponentOptions { Name = "locks", Type = ComponentTypes.LockInMemory }], Factories, "orders").Get("locks");

        Assert.Equal("orders||" + new string('鍵', 341) + "k", store.Keys.ToStorageKey(new string('鍵', 341) + "k", "resource_id"));
    }
}
