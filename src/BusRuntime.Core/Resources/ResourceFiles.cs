using System.Globalization;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Subscriptions;

namespace BusRuntime.Core.Resources;

/// <summary>
/// Reads Dapr's resource files (<c>run --resources-path DIR</c>): every *.yaml and *.yml file of each directory
/// (or a file named itself), several documents a file separated by <c>---</c>. <c>kind: Component</c> documents
/// become BusRuntime components (<see cref="ComponentTranslator"/>), <c>kind: Subscription</c> documents
/// <see cref="DeclaredSubscription"/>s. Anything the sidecar cannot apply as written stops start-up with an
/// <see cref="InvalidOperationException"/> naming the file, the line, the resource and the field.
/// </summary>
public static class ResourceFiles
{
    public const string ConfigurationKey = "BusRuntime:ResourcesPaths";
    public const int MaxPaths = 16;
    public const int MaxFiles = 256;
    public const long MaxFileBytes = 1024 * 1024;
    public const int MaxResources = 1024;
    public const int MaxMetadataEntries = 128;
    public const string ComponentApiVersion = "dapr.io/v1alpha1";
    public const string SubscriptionApiVersion = "dapr.io/v2alpha1";
    public const string SubscriptionV1ApiVersion = "dapr.io/v1alpha1";

    private static readonly string[] ComponentFields = ["apiVersion", "kind", "metadata", "spec", "auth", "scopes"];
    private static readonly string[] ComponentSpecFields = ["type", "version", "metadata", "ignoreErrors", "initTimeout"];
    private static readonly string[] MetadataEntryFields = ["name", "value", "secretKeyRef", "envRef"];

    /// <summary>Kinds Dapr reads from the same directories that BusRuntime has no counterpart of in a file, with where their settings live.</summary>
    private static readonly Dictionary<string, string> UnsupportedKinds = new(StringComparer.Ordinal)
    {
        ["Resiliency"] = "retries, timeouts and circuit breakers are BusRuntime:Invoke:* and BusRuntime:PubSub:* (docs/api.md)",
        ["HTTPEndpoint"] = "BusRuntime invokes apps over its bus only",
    };

    /// <summary>Reads every resource file under <paramref name="paths"/>; none gives <see cref="ResourceSet.Empty"/>.</summary>
    public static ResourceSet Load(IReadOnlyList<string> paths, ResourceContext context)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(context);
        if (paths.Count == 0)
        {
            return ResourceSet.Empty;
        }

        var files = ListFiles(paths);
        var notes = new List<string>();
        var components = new List<(ResourceLocation Where, YamlNode Node)>();
        var subscriptions = new List<(ResourceLocation Where, YamlNode Node, string ApiVersion)>();
        foreach (var file in files)
        {
            var documents = YamlNodes.Read(ReadText(file), file);
            for (var index = 0; index < documents.Count; index++)
            {
                if (documents[index] is not { } document)
                {
                    continue;
                }

                if (components.Count + subscriptions.Count >= MaxResources)
                {
                    throw new InvalidOperationException($"{file} (line {document.Line}): the resource files declare more than {MaxResources} resources.");
                }

                Classify(file, index, document, components, subscriptions, notes);
            }
        }

        var translator = new ComponentTranslator(context, notes);
        var declared = translator.Translate(components.Where(each => InScope(each.Where, each.Node, context.AppId, notes)).ToList());
        var declaredSubscriptions = SubscriptionReader.Read(
            subscriptions.Where(each => InScope(each.Where, each.Node, context.AppId, notes)).ToList(),
            PubSubNames(declared, context.Configured));
        return new ResourceSet(files, declared, declaredSubscriptions, translator.Settings, notes);
    }

    /// <summary>The values of BusRuntime:ResourcesPaths:N (the repeatable --resources-path).</summary>
    public static IReadOnlyList<string> PathsFrom(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return
        [
            .. configuration.GetSection(ConfigurationKey).GetChildren()
                .OrderBy(child => int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : int.MaxValue)
                .Select(child => child.Value)
                .OfType<string>()
                .Where(value => value.Length > 0),
        ];
    }

    /// <summary>
    /// What changes when a resource file is changed, added or removed: each file's path, length and time of last
    /// write. Never throws: a path that is gone is part of the answer.
    /// </summary>
    public static string Fingerprint(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var parts = new List<string>();
        foreach (var path in paths.Select(Path.GetFullPath))
        {
            try
            {
                var files = Directory.Exists(path) ? Directory.EnumerateFiles(path).Where(IsResourceFile).Order(StringComparer.Ordinal).ToList() : [path];
                parts.AddRange(files.Select(file => new FileInfo(file)).Select(info =>
                    info.Exists ? string.Create(CultureInfo.InvariantCulture, $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}") : $"{info.FullName}|gone"));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                parts.Add($"{path}|{exception.GetType().Name}");
            }
        }

        return string.Join('\n', parts);
    }

    private static bool IsResourceFile(string file) =>
        file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static List<string> ListFiles(IReadOnlyList<string> paths)
    {
        if (paths.Count > MaxPaths)
        {
            throw new InvalidOperationException($"{ConfigurationKey} names {paths.Count} paths, over the maximum of {MaxPaths}.");
        }

        var files = new List<string>();
        for (var index = 0; index < paths.Count; index++)
        {
            var path = Path.GetFullPath(paths[index]);
            if (Directory.Exists(path))
            {
                try
                {
                    files.AddRange(Directory.EnumerateFiles(path).Where(IsResourceFile).Order(StringComparer.Ordinal));
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    throw new InvalidOperationException($"{ConfigurationKey}:{index} (--resources-path) {Quoted.Of(paths[index])} cannot be listed: {exception.Message}", exception);
                }
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                throw new InvalidOperationException($"{ConfigurationKey}:{index} (--resources-path) {Quoted.Of(paths[index])} is neither a directory nor a file.");
            }

            if (files.Count > MaxFiles)
            {
                throw new InvalidOperationException($"{ConfigurationKey} holds more than {MaxFiles} resource files.");
            }
        }

        return [.. files.Distinct(StringComparer.Ordinal)];
    }

    private static string ReadText(string file)
    {
        try
        {
            var length = new FileInfo(file).Length;
            if (length > MaxFileBytes)
            {
                throw new InvalidOperationException($"{file}: {length} bytes, over the maximum of {MaxFileBytes} for a resource file.");
            }

            return File.ReadAllText(file);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{file}: cannot be read: {exception.Message}", exception);
        }
    }

    private static void Classify(
        string file,
        int index,
        YamlNode document,
        List<(ResourceLocation, YamlNode)> components,
        List<(ResourceLocation, YamlNode, string)> subscriptions,
        List<string> notes)
    {
        var at = $"{file} (line {document.Line}): document {index + 1}";
        if (document.Entries is null)
        {
            throw new InvalidOperationException($"{at} is {document.Shape}, not a resource (a mapping with apiVersion, kind, metadata and spec).");
        }

        var kind = ScalarOf(document, "kind", at, required: true)!;
        var apiVersion = ScalarOf(document, "apiVersion", at, required: true)!;
        var name = ScalarOf(document.Get("metadata"), "name", $"{at}: metadata", required: true)!;
        var where = new ResourceLocation(file, document.Line, kind == "Subscription" ? "subscription" : "component", name);
        switch (kind)
        {
            case "Component":
                if (apiVersion != ComponentApiVersion)
                {
                    throw where.Error("apiVersion", $"{Quoted.Of(apiVersion)} is not {ComponentApiVersion}, the only version of Dapr's Component.");
                }

                CheckFields(document, ComponentFields, where, "");
                components.Add((where, document));
                break;
            case "Subscription":
                if (apiVersion is not (SubscriptionApiVersion or SubscriptionV1ApiVersion))
                {
                    throw where.Error("apiVersion", $"{Quoted.Of(apiVersion)} is not one of: {SubscriptionApiVersion}, {SubscriptionV1ApiVersion}.");
                }

                subscriptions.Add((where, document, apiVersion));
                break;
            case "Configuration":
                // Dapr reads a Configuration from --config, not from the resources path, and skips it there too.
                notes.Add($"{at}: Configuration {Quoted.Of(name)} skipped: Dapr's Configuration resources are not read from resource files.");
                break;
            default:
                throw new InvalidOperationException(UnsupportedKinds.TryGetValue(kind, out var instead)
                    ? $"{at}: kind {Quoted.Of(kind)} ({Quoted.Of(name)}) is not supported: {instead}."
                    : $"{at}: kind {Quoted.Of(kind)} is not one of: Component, Subscription.");
        }
    }

    /// <summary>Whether the resource's <c>scopes</c> (none: every app) list the app; adds a note when they do not.</summary>
    private static bool InScope(ResourceLocation where, YamlNode document, string appId, List<string> notes)
    {
        var scopes = StringsOf(document, "scopes", where);
        if (scopes is null || scopes.Contains(appId, StringComparer.Ordinal))
        {
            return true;
        }

        notes.Add($"{where}: not loaded: its scopes ({string.Join(", ", scopes)}) do not list app {Quoted.Of(appId)}.");
        return false;
    }

    private static HashSet<string> PubSubNames(IReadOnlyList<DeclaredComponent> declared, IReadOnlyList<ComponentOptions> configured)
    {
        var all = declared.Select(each => each.Component).Concat(configured).ToList();
        var names = all.Where(ComponentKind.PubSub.Includes).Select(component => component.Name).ToHashSet(StringComparer.Ordinal);
        if (names.Count == 0)
        {
            names.UnionWith(ComponentKind.PubSub.Defaults.Select(component => component.Name));
        }

        return names;
    }

    /// <summary>The text of scalar <paramref name="key"/> of <paramref name="node"/>; a missing required key or a non-scalar throws naming <paramref name="at"/>.</summary>
    internal static string? ScalarOf(YamlNode? node, string key, string at, bool required)
    {
        var value = node?.Get(key);
        if (value is null || value.Scalar is { Length: 0 })
        {
            return required ? throw new InvalidOperationException($"{at}: {key} is missing.") : null;
        }

        return value.Scalar ?? throw new InvalidOperationException($"{at}: {key} is {value.Shape}, not a scalar.");
    }

    /// <summary>A sequence of scalars under <paramref name="key"/>; null when absent.</summary>
    internal static IReadOnlyList<string>? StringsOf(YamlNode node, string key, ResourceLocation where)
    {
        var value = node.Get(key);
        if (value is null || value.Scalar is { Length: 0 })
        {
            return null;
        }

        if (value.Items is null)
        {
            throw where.Error(key, $"is {value.Shape}, not a list.");
        }

        return
        [
            .. value.Items.Select((item, index) => item.Scalar ?? throw where.Error($"{key}[{index}]", $"is {item.Shape}, not a scalar.")),
        ];
    }

    /// <summary>Fails on a field of a mapping that is not one of <paramref name="allowed"/>: a misspelt field would otherwise be ignored in silence.</summary>
    internal static void CheckFields(YamlNode node, IReadOnlyList<string> allowed, ResourceLocation where, string prefix)
    {
        foreach (var entry in node.Entries ?? [])
        {
            if (!allowed.Contains(entry.Key, StringComparer.Ordinal))
            {
                throw where.Error($"{prefix}{Quoted.Bare(entry.Key)}", $"(line {entry.Value.Line}) is not a field of {(prefix.Length == 0 ? "the resource" : prefix.TrimEnd('.'))}; its fields: {string.Join(", ", allowed)}.");
            }
        }
    }

    /// <summary>The spec fields of a component; used by <see cref="ComponentTranslator"/>.</summary>
    internal static IReadOnlyList<string> SpecFields => ComponentSpecFields;

    /// <summary>The fields of a spec.metadata entry; used by <see cref="ComponentTranslator"/>.</summary>
    internal static IReadOnlyList<string> MetadataFields => MetadataEntryFields;
}
