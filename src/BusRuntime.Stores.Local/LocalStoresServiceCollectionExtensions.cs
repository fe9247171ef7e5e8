using BusRuntime.Core.Configuration;
using BusRuntime.Core.Secrets;
using BusRuntime.Core.Stores;
using BusRuntime.Stores.Local.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BusRuntime.Stores.Local;

public static class LocalStoresServiceCollectionExtensions
{
    /// <summary>Makes the secret store types on the sidecar's machine (secretstores.local.file, secretstores.local.env) available.</summary>
    public static IServiceCollection AddBusRuntimeLocalStores(this IServiceCollection services)
    {
        services.AddOptions();
        services.AddSingleton<IStoreFactory<ISecretStore>>(provider =>
            new StoreFactory<ISecretStore>(
                ComponentTypes.SecretStoreLocalFile,
                component => LocalFileSecretStore.Create(component, provider.GetRequiredService<IOptions<StoreOptions>>().Value)));
        services.AddSingleton<IStoreFactory<ISecretStore>>(_ =>
            new StoreFactory<ISecretStore>(ComponentTypes.SecretStoreLocalEnv, EnvironmentSecretStore.Create));
        return services;
    }
}
