using System.Collections;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Secrets;

namespace BusRuntime.Stores.Local.Secrets;

/// <summary>
/// Secrets from the sidecar's environment variables. With metadata prefix, only the variables whose names
/// start with it (case-sensitive), the prefix taken off: with prefix "ORDERS_" the secret "DB_PASSWORD" is
/// the variable ORDERS_DB_PASSWORD. The variables that configure the sidecar itself (BusRuntime__*, in any
/// case) are never secrets of this store: they hold the database's and the broker's passwords.
/// </summary>
public sealed class EnvironmentSecretStore(string prefix) : ISecretStore
{
    private const string SidecarConfigurationPrefix = "BusRuntime__";

    public static EnvironmentSecretStore Create(ComponentOptions component) => new(ComponentMetadata.GetString(component, SecretStoreMetadata.Prefix) ?? "");

    public Task<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var name = prefix + key;
        return Task.FromResult(IsSidecarConfiguration(name) ? null : Environment.GetEnvironmentVariable(name));
    }

    public Task<IReadOnlyDictionary<string, string>> GetAllAsync(CancellationToken cancellationToken)
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal) && !IsSidecarConfiguration(name))
            {
                secrets[name[prefix.Length..]] = variable.Value as string ?? "";
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, string>>(secrets);
    }

    private static bool IsSidecarConfiguration(string name) => name.StartsWith(SidecarConfigurationPrefix, StringComparison.OrdinalIgnoreCase);
}
