using BusRuntime.Core.Configuration;
using BusRuntime.Core.Files;
using BusRuntime.Core.Secrets;
using BusRuntime.Core.Stores;
using BusRuntime.Stores.Local.Files;
using BusRuntime.Stores.Local.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BusRuntime.Stores.Local;

public static class LocalStoresServiceCollectionExtensions
{
    /// <summary>
    /// Makes the component types on the sidecar's machine available: the secret stores secretstores.local.file and
    /// secretstores.local.env, and the file store file.local.
    /// </summary>
    public static IServiceCollection AddBusRuntimeLocalStores(this IServiceCollection services)
    {
        services.AddOptions();
        services.AddSingleton<IStoreFactory<ISecretStore>>(provider =>
            new StoreFactory<ISecretStore>(
                ComponentTypes.SecretStoreLocalFile,
                component => LocalFileSecretStore.Create(component, provider.GetRequiredService<IOptions<StoreOptions>>().Value)));
        services.AddSingleton<IStoreFactory<ISecretStore>>(_ =>
            new StoreFactory<ISecretStore>(ComponentTypes.SecretStoreLocalEnv, EnvironmentSecretStore.Create));
        services.AddSingleton<IStoreFactory<IFileStore>>(provider =>
            new StoreFactory<IFileStore>(
                ComponentTypes.FileLocal,
                component => LocalFileStore.Create(component, provider.GetRequiredService<IOptions<StoreOptions>>().Value)));
        return services;
    }
}
