namespace BusRuntime.Core.Secrets;

/// <summary>The metadata keys of the secret store types.</summary>
public static class SecretStoreMetadata
{
    /// <summary>secretstores.local.file: the JSON file of secrets (else BusRuntime:SecretsFile).</summary>
    public const string SecretsFile = "secretsFile";

    /// <summary>secretstores.local.file: what joins nested keys (":" unless set).</summary>
    public const string NestedSeparator = "nestedSeparator";

    /// <summary>secretstores.local.env: the prefix of the variables served, taken off their names.</summary>
    public const string Prefix = "prefix";

    /// <summary>Every secret store: the keys the app may read, separated by commas (all when unset).</summary>
    public const string AllowedSecrets = "allowedSecrets";
}
