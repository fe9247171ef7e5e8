using System.Text.Json;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Secrets;

namespace BusRuntime.Stores.Local.Secrets;

/// <summary>
/// Secrets from a JSON file (metadata secretsFile, else BusRuntime:SecretsFile), read once when the sidecar
/// starts. Nested objects and arrays are flattened into keys joined by metadata nestedSeparator (":" by
/// default, as in Dapr): <c>{"db":{"password":"…"}}</c> holds the secret "db:password". Numbers and
/// booleans are their JSON text; a null leaves its key out. With no file configured the store is empty
/// and every read says so.
/// </summary>
public sealed class LocalFileSecretStore : ISecretStore
{
    public const string DefaultNestedSeparator = ":";

    private readonly IReadOnlyDictionary<string, string> secrets;

    // The NOT_FOUND message of every read when no file is configured.
    private readonly string? unconfigured;

    private LocalFileSecretStore(IReadOnlyDictionary<string, string> secrets, string? unconfigured)
    {
        this.secrets = secrets;
        this.unconfigured = unconfigured;
    }

    /// <summary>Reads the component's file; a missing, unreadable or malformed file throws naming its configuration key (never a value).</summary>
    public static LocalFileSecretStore Create(ComponentOptions component, StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(options);
        var ownFile = ComponentMetadata.GetString(component, SecretStoreMetadata.SecretsFile);
        var file = ownFile ?? (string.IsNullOrWhiteSpace(options.SecretsFile) ? null : options.SecretsFile);
        if (file is null)
        {
            return new LocalFileSecretStore(
                new Dictionary<string, string>(),
                $"secret store '{component.Name}' has no secrets file: set BusRuntime:SecretsFile (--secrets-file) or its metadata {SecretStoreMetadata.SecretsFile}.");
        }

        var key = ownFile is null ? "BusRuntime:SecretsFile" : ComponentMetadata.KeyOf(component, SecretStoreMetadata.SecretsFile);
        var separator = ComponentMetadata.GetString(component, SecretStoreMetadata.NestedSeparator) ?? DefaultNestedSeparator;
        return new LocalFileSecretStore(Read(Path.GetFullPath(file), key, separator), null);
    }

    public Task<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (unconfigured is not null)
        {
            throw RuntimeException.NotFound(unconfigured);
        }

        return Task.FromResult(secrets.GetValueOrDefault(key));
    }

    public Task<IReadOnlyDictionary<string, string>> GetAllAsync(CancellationToken cancellationToken) => Task.FromResult(secrets);

    private static Dictionary<string, string> Read(string path, string key, string separator)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{key} '{path}' does not exist.");
        }

        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException invalid)
        {
            // JsonException's message may quote the file's text, which is secret: say only where, and
            // leave it out of the chain, which start-up failures print.
            throw new InvalidOperationException($"{key} '{path}' is not valid JSON (line {invalid.LineNumber + 1}, byte {invalid.BytePositionInLine + 1}).");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{key} '{path}' cannot be read: {exception.Message}", exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidOperationException($"{key} '{path}' must hold a JSON object of secrets, not {Describe(document.RootElement.ValueKind)}.");
            }

            var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
            Flatten(document.RootElement, null, separator, secrets);
            return secrets;
        }
    }

    private static void Flatten(JsonElement element, string? name, string separator, Dictionary<string, string> secrets)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, Join(name, property.Name, separator), separator, secrets);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, Join(name, index++.ToString(System.Globalization.CultureInfo.InvariantCulture), separator), separator, secrets);
                }

                break;
            case JsonValueKind.String:
                secrets[name!] = element.GetString()!;
                break;
            case JsonValueKind.Null:
                break;
            default:
                secrets[name!] = element.GetRawText();
                break;
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Join(string? parent, string name, string separator) => parent is null ? name : string.Concat(parent, separator, name);
}
