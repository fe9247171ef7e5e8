using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Bindings;
using BusRuntime.Core.Files;
using BusRuntime.Core.Hello;
using BusRuntime.Core.Secrets;
using BusRuntime.Core.Sequences;
using BusRuntime.Core.State;
using BusRuntime.Core.Stores;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Configuration;

/// <summary>
/// Fails start-up on a component list that names a component twice, badly, with an unknown type, or
/// with a metadata key its type does not know (a misspelt key would otherwise be ignored in silence).
/// </summary>
public sealed class ComponentsOptionsValidator : IValidateOptions<ComponentsOptions>
{
    /// <summary>Names readiness reports under besides the components' own.</summary>
    private static readonly string[] ReservedNames = ["bus"];

    private static readonly string[] PostgresKeys = [StoreOptions.ConnectionStringMetadataKey, StoreOptions.SchemaMetadataKey];
    private static readonly string[] StateKeys = [KeyScope.MetadataKey, StateChangeEvents.PublishChangesKey, StateChangeEvents.PublishValuesKey];
    private static readonly string[] SequencerKeys = [KeyScope.MetadataKey, Sequencer.SegmentSizeKey];

    private static readonly Dictionary<string, string[]> MetadataKeys = new(StringComparer.Ordinal)
    {
        [ComponentTypes.PubSubBus] = [.. PubSub.TopicScopes.MetadataKeys],
        [ComponentTypes.StateInMemory] = StateKeys,
        [ComponentTypes.StatePostgres] = [.. StateKeys, .. PostgresKeys],
        [ComponentTypes.StateRedis] = [.. StateKeys, .. RedisMetadata.Keys],
        [ComponentTypes.LockInMemory] = [KeyScope.MetadataKey],
        [ComponentTypes.LockPostgres] = [KeyScope.MetadataKey, .. PostgresKeys],
        [ComponentTypes.LockRedis] = [KeyScope.MetadataKey, .. RedisMetadata.Keys],
        [ComponentTypes.SequencerInMemory] = SequencerKeys,
        [ComponentTypes.SequencerPostgres] = [.. SequencerKeys, .. PostgresKeys],
        [ComponentTypes.ConfigurationInMemory] = [ConfigurationReadScopes.MetadataKey],
        [ComponentTypes.ConfigurationPostgres] = [ConfigurationReadScopes.MetadataKey, .. PostgresKeys],
        [ComponentTypes.SecretStoreLocalFile] = [SecretStoreMetadata.SecretsFile, SecretStoreMetadata.NestedSeparator, SecretStoreMetadata.AllowedSecrets],
        [ComponentTypes.SecretStoreLocalEnv] = [SecretStoreMetadata.Prefix, SecretStoreMetadata.AllowedSecrets],
        [ComponentTypes.FileLocal] = [KeyScope.MetadataKey, FileStoreMetadata.RootPath, FileStoreMetadata.MaxFileBytes],
        [ComponentTypes.FilePostgres] = [KeyScope.MetadataKey, FileStoreMetadata.MaxFileBytes, FileStoreMetadata.ChunkBytes, .. PostgresKeys],
        [ComponentTypes.BindingsHttp] = [.. BindingMetadata.HttpKeys],
        [ComponentTypes.BindingsRabbitMq] = [.. BindingMetadata.RabbitMqKeys],
        [ComponentTypes.BindingsCron] = [.. BindingMetadata.CronKeys],
        [ComponentTypes.BindingsPostgres] = [.. BindingMetadata.PostgresKeys],
        [ComponentTypes.HelloWorld] = [HelloWorld.GreetingKey],
    };

    /// <summary>The metadata keys a component type takes; null for a type that is not one.</summary>
    public static IReadOnlyList<string>? SettingsOf(string type) => MetadataKeys.GetValueOrDefault(type);

    public ValidateOptionsResult Validate(string? name, ComponentsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < options.Components.Count; index++)
        {
            var component = options.Components[index];
            var key = $"BusRuntime:Components:{index}";
            if (!Names.IsValidComponentName(component.Name))
            {
                failures.Add($"{key}:Name '{component.Name}' must match {Names.ComponentNamePattern}.");
            }
            else if (!seen.Add(component.Name))
            {
                failures.Add($"{key}:Name '{component.Name}' is declared twice; component names must be unique.");
            }
            else if (ReservedNames.Contains(component.Name, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{key}:Name '{component.Name}' is reserved (readiness reports the bus under it); choose another name.");
            }

            if (!MetadataKeys.TryGetValue(component.Type, out var allowed))
            {
                failures.Add($"{key}:Type '{component.Type}' is not one of: {string.Join(", ", ComponentTypes.All)}.");
                continue;
            }

            foreach (var metadataKey in component.Metadata.Keys.Where(metadataKey => !allowed.Contains(metadataKey, StringComparer.OrdinalIgnoreCase)))
            {
                failures.Add(allowed.Length == 0
                    ? $"{key}:Metadata:{metadataKey}: a {component.Type} component takes no metadata."
                    : $"{key}:Metadata:{metadataKey} is not a setting of {component.Type}; its settings: {string.Join(", ", allowed)}.");
            }

            if (component.Type == ComponentTypes.PubSubBus)
            {
                failures.AddRange(PubSub.TopicScopes.Problems(component, key));
            }

            if (component.Type is ComponentTypes.StateRedis or ComponentTypes.LockRedis)
            {
                failures.AddRange(RedisMetadata.Problems(component, key));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
