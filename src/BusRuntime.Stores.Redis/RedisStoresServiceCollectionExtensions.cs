using BusRuntime.Core.Configuration;
using BusRuntime.Core.Locks;
using BusRuntime.Core.State;
using BusRuntime.Core.Stores;
using BusRuntime.Stores.Redis.Locks;
using BusRuntime.Stores.Redis.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BusRuntime.Stores.Redis;

public static class RedisStoresServiceCollectionExtensions
{
    /// <summary>
    /// Makes the Redis component types (state.redis, lock.redis) available. A component connects to its
    /// metadata redisHost; components on one server and credentials share one multiplexed connection.
    /// </summary>
    public static IServiceCollection AddBusRuntimeRedisStores(this IServiceCollection services)
    {
        services.AddLogging();
        services.TryAddSingleton<RedisConnections>();
        services.AddSingleton<IStoreFactory<IStateStore>>(provider =>
            new StoreFactory<IStateStore>(ComponentTypes.StateRedis, component => new RedisStateStore(Database(provider, component), component.Name, component.Name)));
        services.AddSingleton<IStoreFactory<ILockStore>>(provider =>
            new StoreFactory<ILockStore>(ComponentTypes.LockRedis, component => new RedisLockStore(Database(provider, component), component.Name, component.Name)));
        return services;
    }

    private static RedisDatabase Database(IServiceProvider provider, ComponentOptions component) =>
        provider.GetRequiredService<RedisConnections>().Get(RedisSettings.For(component));
}
