using System.Globalization;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Resources;

/// <summary>
/// Turns the Component documents of the resource files into BusRuntime components: checks each document's
/// fields, resolves <c>secretKeyRef</c> and <c>envRef</c> values, maps the Dapr type (<see cref="DaprTypes"/>)
/// and its metadata, and collects the bus settings a pubsub.rabbitmq component implies. Secret stores are
/// translated first, as other components read their secrets from them.
/// </summary>
internal sealed class ComponentTranslator(ResourceContext context, List<string> notes)
{
    private const string ConnectionStringKey = StoreOptions.ConnectionStringMetadataKey;

    // One {uuid} a sidecar process, so that reading the files again (hot reload) sees the same values.
    private static readonly string ProcessUuid = Guid.NewGuid().ToString();

    // The pubsub.rabbitmq component that set the broker, for a second one that disagrees.
    private (ResourceLocation Where, string Broker)? broker;

    /// <summary>BusRuntime:Transport and BusRuntime:RabbitMq when a pubsub.rabbitmq component is declared.</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    public List<DeclaredComponent> Translate(List<(ResourceLocation Where, YamlNode Node)> documents)
    {
        var seen = new Dictionary<string, ResourceLocation>(StringComparer.Ordinal);
        foreach (var (where, _) in documents)
        {
            if (seen.TryGetValue(where.Name, out var first))
            {
                throw where.Error("metadata.name", $"is declared twice: also in {first.File} (line {first.Line}).");
            }

            if (context.Configured.Any(component => component.Name == where.Name))
            {
                throw where.Error("metadata.name", "is also declared in BusRuntime:Components; component names must be unique.");
            }

            seen[where.Name] = where;
        }

        var parsed = documents.Select(document => Parse(document.Where, document.Node)).ToList();
        var translated = new Dictionary<ResourceLocation, DeclaredComponent?>();
        foreach (var component in parsed.Where(component => component.IsSecretStore))
        {
            translated[component.Where] = Translate(component, []);
        }

        var secretStores = translated.Values.OfType<DeclaredComponent>().Select(declared => declared.Component).ToList();
        foreach (var component in parsed.Where(component => !component.IsSecretStore))
        {
            translated[component.Where] = Translate(component, secretStores);
        }

        return [.. parsed.Select(component => translated[component.Where]).OfType<DeclaredComponent>()];
    }

    private static ParsedComponent Parse(ResourceLocation where, YamlNode document)
    {
        if (!Names.IsValidComponentName(where.Name))
        {
            throw where.Error("metadata.name", $"must match {Names.ComponentNamePattern} (letters, digits, '-' and '_', no dots, at most 32 characters).");
        }

        var spec = document.Get("spec");
        if (spec?.Entries is null)
        {
            throw where.Error("spec", spec is null ? "is missing." : $"is {spec.Shape}, not a mapping.");
        }

        ResourceFiles.CheckFields(spec, ResourceFiles.SpecFields, where, "spec.");
        var type = ResourceFiles.ScalarOf(spec, "type", $"{where}: spec", required: true)!;
        var version = ResourceFiles.ScalarOf(spec, "version", $"{where}: spec", required: false) ?? "v1";
        var ignoreErrors = ResourceFiles.ScalarOf(spec, "ignoreErrors", $"{where}: spec", required: false) is { } ignore
            && (bool.TryParse(ignore, out var parsed) ? parsed : throw where.Error("spec.ignoreErrors", $"{Quoted.Of(ignore)} is not one of: true, false."));
        var auth = document.Get("auth");
        if (auth is not null && auth.Entries is null && auth.Scalar is not { Length: 0 })
        {
            throw where.Error("auth", $"is {auth.Shape}, not a mapping.");
        }

        if (auth?.Entries is not null)
        {
            ResourceFiles.CheckFields(auth, ["secretStore"], where, "auth.");
        }

        var secretStore = ResourceFiles.ScalarOf(auth, "secretStore", $"{where}: auth", required: false);
        var metadata = spec.Get("metadata");
        if (metadata is not null && metadata.Items is null && metadata.Scalar is not { Length: 0 })
        {
            throw where.Error("spec.metadata", $"is {metadata.Shape}, not a list of name and value entries.");
        }

        var entries = metadata?.Items ?? [];
        if (entries.Count > ResourceFiles.MaxMetadataEntries)
        {
            throw where.Error("spec.metadata", $"has {entries.Count} entries, over the maximum of {ResourceFiles.MaxMetadataEntries}.");
        }

        return new ParsedComponent(where, type, version, entries, secretStore, ignoreErrors);
    }

    private DeclaredComponent? Translate(ParsedComponent parsed, List<ComponentOptions> declaredSecretStores)
    {
        try
        {
            return TranslateOrThrow(parsed, declaredSecretStores);
        }
        catch (InvalidOperationException failure) when (parsed.IgnoreErrors)
        {
            notes.Add($"{parsed.Where}: not loaded (spec.ignoreErrors is true): {failure.Message}");
            return null;
        }
    }

    private DeclaredComponent TranslateOrThrow(ParsedComponent parsed, List<ComponentOptions> declaredSecretStores)
    {
        var where = parsed.Where;
        var rule = DaprTypes.RuleOf(parsed.Type);
        if (rule is null)
        {
            var kind = ComponentTypes.KindOf(parsed.Type);
            var sameKind = DaprTypes.Known.Where(type => ComponentTypes.KindOf(type) == kind).ToList();
            throw where.Error("spec.type", sameKind.Count > 0
                ? $"{Quoted.Of(parsed.Type)} is not a component type BusRuntime has; its {kind} types: {string.Join(", ", sameKind)}."
                : $"{Quoted.Of(parsed.Type)} is not a component type BusRuntime has; known: {string.Join(", ", DaprTypes.Known)}.");
        }

        if (rule.Unsupported is not null)
        {
            throw where.Error("spec.type", $"{Quoted.Of(parsed.Type)} is not supported: {rule.Unsupported}.");
        }

        if (!rule.Versions.Contains(parsed.Version, StringComparer.Ordinal))
        {
            throw where.Error("spec.version", $"{Quoted.Of(parsed.Version)} is not one of: {string.Join(", ", rule.Versions)}.");
        }

        var settings = ComponentsOptionsValidator.SettingsOf(rule.Target) ?? [];
        var component = new ComponentOptions { Name = where.Name, Type = rule.Target };
        var entries = ReadEntries(parsed, declaredSecretStores);
        try
        {
            Map(parsed, rule, settings, component, entries);
        }
        catch (InvalidOperationException failure) when (entries.Any(entry => entry.FromSecret && entry.Value.Length > 0))
        {
            // A message may quote a value it refuses; one read from a secret store is not shown.
            var message = entries.Where(entry => entry.FromSecret && entry.Value.Length > 0)
                .Aggregate(failure.Message, (text, secret) => text.Replace(Quoted.Of(secret.Value), "(a secret)", StringComparison.Ordinal).Replace(secret.Value, "(a secret)", StringComparison.Ordinal));
            throw new InvalidOperationException(message);
        }

        return new DeclaredComponent(where.File, parsed.Type, component);
    }

    private void Map(ParsedComponent parsed, DaprTypeRule rule, IReadOnlyList<string> settings, ComponentOptions component, List<RawMetadata> entries)
    {
        var where = parsed.Where;
        var special = new Dictionary<string, RawMetadata>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            if (IsSpecial(parsed.Type, rule.Target, entry.Name))
            {
                special[entry.Name] = entry;
            }
            else if (settings.Contains(entry.Name, StringComparer.OrdinalIgnoreCase))
            {
                component.Metadata[entry.Name] = entry.Value;
            }
            else if (rule.Fixed.TryGetValue(entry.Name, out var required))
            {
                if (!string.Equals(entry.Value, required.Value, StringComparison.OrdinalIgnoreCase))
                {
                    throw where.Error(
                        $"spec.metadata {Quoted.Of(entry.Name)}",
                        $"(line {entry.Line}) must be {(required.Value.Length == 0 ? "empty" : Quoted.Of(required.Value))} on BusRuntime: {required.Why}.");
                }
            }
            else if (rule.Ignored.TryGetValue(entry.Name, out var why))
            {
                notes.Add($"{where}: spec.metadata {Quoted.Of(entry.Name)} accepted and ignored: {why}.");
            }
            else
            {
                var known = settings.Concat(SpecialKeys(parsed.Type, rule.Target)).Concat(rule.Ignored.Keys).Concat(rule.Fixed.Keys).Distinct(StringComparer.OrdinalIgnoreCase);
                throw where.Error(
                    $"spec.metadata {Quoted.Of(entry.Name)}",
                    $"(line {entry.Line}) is not a setting of {parsed.Type} on BusRuntime; its settings: {string.Join(", ", known)}.");
            }
        }

        if (rule.Target.EndsWith(".postgresql", StringComparison.Ordinal))
        {
            ApplyPostgres(where, component, special);
        }

        if (parsed.Type == DaprTypes.PubSubRabbitMq)
        {
            ApplyBroker(where, special);
        }

        Check(where, component);
    }

    private static bool IsSpecial(string daprType, string target, string key) => SpecialKeys(daprType, target).Contains(key, StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<string> SpecialKeys(string daprType, string target) =>
        daprType == DaprTypes.PubSubRabbitMq ? ["connectionString", "protocol", "hostname", "username", "password"]
        : target.EndsWith(".postgresql", StringComparison.Ordinal) ? [ConnectionStringKey, "maxConns", "timeout", "timeoutInSeconds"]
        : [];

    private List<RawMetadata> ReadEntries(ParsedComponent parsed, List<ComponentOptions> declaredSecretStores)
    {
        var where = parsed.Where;
        var entries = new List<RawMetadata>();
        for (var index = 0; index < parsed.Metadata.Count; index++)
        {
            var node = parsed.Metadata[index];
            var field = $"spec.metadata[{index}]";
            if (node.Entries is null)
            {
                throw where.Error(field, $"(line {node.Line}) is {node.Shape}, not a mapping of name and value.");
            }

            ResourceFiles.CheckFields(node, ResourceFiles.MetadataFields, where, field + ".");
            var name = ResourceFiles.ScalarOf(node, "name", $"{where}: {field} (line {node.Line})", required: true)!;
            field = $"spec.metadata {Quoted.Of(name)}";
            if (entries.Any(entry => string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw where.Error(field, $"(line {node.Line}) is set twice (metadata names match in any case).");
            }

            var value = node.Get("value");
            var secretKeyRef = node.Get("secretKeyRef");
            var envRef = node.Get("envRef");
            if (new[] { value, secretKeyRef, envRef }.Count(part => part is not null) > 1)
            {
                throw where.Error(field, $"(line {node.Line}) sets more than one of value, secretKeyRef and envRef.");
            }

            if (secretKeyRef is not null)
            {
                entries.Add(new RawMetadata(name, ReadSecret(parsed, declaredSecretStores, secretKeyRef, field), node.Line, true));
            }
            else if (envRef is not null)
            {
                var variable = envRef.Scalar is { Length: > 0 } text ? text : throw where.Error($"{field} envRef", "must name an environment variable.");
                entries.Add(new RawMetadata(name, context.Environment(variable) ?? "", node.Line, false));
            }
            else
            {
                // A value may be any YAML scalar (value: 5, value: true): its text is the setting, as Dapr reads it.
                var text = value is null ? "" : value.Scalar ?? throw where.Error($"{field} value", $"(line {value.Line}) is {value.Shape}, not a scalar.");
                entries.Add(new RawMetadata(name, Expand(text), node.Line, false));
            }
        }

        return entries;
    }

    /// <summary>Dapr's templates in a metadata value: {appID}, {uuid} (one a process), {podName} (POD_NAME, else the host's name) and {namespace} (NAMESPACE).</summary>
    private string Expand(string text) =>
        !text.Contains('{', StringComparison.Ordinal)
            ? text
            : text.Replace("{appID}", context.AppId, StringComparison.Ordinal)
                .Replace("{uuid}", ProcessUuid, StringComparison.Ordinal)
                .Replace("{podName}", context.Environment("POD_NAME") ?? System.Environment.MachineName, StringComparison.Ordinal)
                .Replace("{namespace}", context.Environment("NAMESPACE") ?? "", StringComparison.Ordinal);

    private string ReadSecret(ParsedComponent parsed, List<ComponentOptions> declaredSecretStores, YamlNode reference, string field)
    {
        var where = parsed.Where;
        if (reference.Entries is null)
        {
            throw where.Error($"{field} secretKeyRef", $"(line {reference.Line}) is {reference.Shape}, not a mapping of name and key.");
        }

        ResourceFiles.CheckFields(reference, ["name", "key"], where, $"{field} secretKeyRef.");
        var name = ResourceFiles.ScalarOf(reference, "name", $"{where}: {field} secretKeyRef", required: true)!;
        var key = ResourceFiles.ScalarOf(reference, "key", $"{where}: {field} secretKeyRef", required: false) ?? name;
        if (parsed.IsSecretStore)
        {
            throw where.Error($"{field} secretKeyRef", "cannot be used in a secret store's own metadata.");
        }

        if (key != name)
        {
            throw where.Error(
                $"{field} secretKeyRef.key",
                $"{Quoted.Of(key)} differs from its name {Quoted.Of(name)}: a secret of BusRuntime's secret stores holds one value, so name the secret (a nested one as parent:child) in both.");
        }

        if (parsed.SecretStore is null)
        {
            throw where.Error($"{field} secretKeyRef", "needs auth.secretStore naming the secret store to read it from (a self-hosted Dapr sidecar has no default either).");
        }

        var store = FindSecretStore(parsed.SecretStore, declaredSecretStores)
            ?? throw where.Error("auth.secretStore", $"{Quoted.Of(parsed.SecretStore)} is not a secret store of the resource files or BusRuntime:Components.");
        string? secret;
        try
        {
            secret = context.ReadSecret(store, name);
        }
        catch (InvalidOperationException unreadable)
        {
            throw where.Error($"{field} secretKeyRef", $"cannot be read from secret store {Quoted.Of(store.Name)}: {unreadable.Message}");
        }

        return secret ?? throw where.Error($"{field} secretKeyRef", $"names secret {Quoted.Of(name)}, which secret store {Quoted.Of(store.Name)} does not have.");
    }

    private ComponentOptions? FindSecretStore(string name, List<ComponentOptions> declaredSecretStores)
    {
        var all = declaredSecretStores.Concat(context.Configured.Where(ComponentKind.SecretStores.Includes)).ToList();
        if (all.Count == 0)
        {
            // Configuration that declares no secret store gets the default ones.
            all.AddRange(ComponentKind.SecretStores.Defaults.Select(component => new ComponentOptions { Name = component.Name, Type = component.Type }));
        }

        return all.FirstOrDefault(component => component.Name == name);
    }

    /// <summary>connectionString in Dapr's forms, and maxConns and timeout, into the Npgsql connection string.</summary>
    private static void ApplyPostgres(ResourceLocation where, ComponentOptions component, Dictionary<string, RawMetadata> special)
    {
        if (!special.TryGetValue(ConnectionStringKey, out var connection))
        {
            if (special.Count > 0)
            {
                throw where.Error($"spec.metadata {Quoted.Of(special.Keys.First())}", $"needs spec.metadata {ConnectionStringKey}: BusRuntime sets it in the component's connection string.");
            }

            return;
        }

        string translated;
        try
        {
            translated = PostgresConnectionStrings.ToNpgsql(connection.Value);
        }
        catch (FormatException invalid)
        {
            throw where.Error($"spec.metadata {Quoted.Of(ConnectionStringKey)}", $"(line {connection.Line}) {invalid.Message}");
        }

        var builder = new System.Data.Common.DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = translated;
        }
        catch (ArgumentException)
        {
            // The framework's message quotes no value, but says nothing a reader needs either: say what was expected.
            throw where.Error(
                $"spec.metadata {Quoted.Of(ConnectionStringKey)}",
                $"(line {connection.Line}) is not a PostgreSQL connection string: give libpq keywords (host=db user=app …), a postgres:// URL, or Npgsql's keyword=value pairs separated by ';'.");
        }
        if (special.TryGetValue("maxConns", out var maxConns))
        {
            builder["Maximum Pool Size"] = Whole(where, maxConns, 1, 1024);
        }

        if (special.TryGetValue("timeout", out var timeout) || special.TryGetValue("timeoutInSeconds", out timeout))
        {
            builder["Command Timeout"] = Seconds(where, timeout);
        }

        component.Metadata[ConnectionStringKey] = builder.ConnectionString;
    }

    /// <summary>A pubsub.rabbitmq component's broker becomes the bus's: BusRuntime:Transport RabbitMq, BusRuntime:RabbitMq its address.</summary>
    private void ApplyBroker(ResourceLocation where, Dictionary<string, RawMetadata> special)
    {
        string address;
        if (special.TryGetValue("connectionString", out var connectionString))
        {
            var others = special.Keys.Where(key => !key.Equals("connectionString", StringComparison.OrdinalIgnoreCase)).ToList();
            if (others.Count > 0)
            {
                throw where.Error($"spec.metadata {Quoted.Of(others[0])}", "cannot be set with connectionString, which names the whole broker address.");
            }

            address = connectionString.Value.Trim();
        }
        else if (special.TryGetValue("hostname", out var hostname))
        {
            var protocol = special.TryGetValue("protocol", out var given) ? given.Value : "amqp";
            if (protocol is not ("amqp" or "amqps"))
            {
                throw where.Error("spec.metadata 'protocol'", $"{Quoted.Of(protocol)} is not one of: amqp, amqps.");
            }

            var user = special.TryGetValue("username", out var username) ? Uri.EscapeDataString(username.Value) : "";
            var password = special.TryGetValue("password", out var secret) ? ":" + Uri.EscapeDataString(secret.Value) : "";
            address = $"{protocol}://{(user.Length + password.Length > 0 ? $"{user}{password}@" : "")}{hostname.Value}/";
        }
        else
        {
            throw where.Error("spec.metadata", "names no broker: set connectionString (amqp://user:password@host:port/vhost) or hostname (with protocol, username, password).");
        }

        if (!TryNormalize(address, out var normalized))
        {
            throw where.Error("spec.metadata 'connectionString'", "is not an address of the form amqp://user:password@host:port/vhost (or amqps:// for TLS).");
        }

        if (broker is { } first && first.Broker != normalized)
        {
            throw where.Error("spec.metadata", $"names another broker than pubsub.rabbitmq component {Quoted.Of(first.Where.Name)} in {first.Where.File}: one sidecar has one bus, on one broker.");
        }

        if (context.Transport is { } transport && transport != "RabbitMq")
        {
            throw where.Error("spec.type", $"pubsub.rabbitmq puts the bus on RabbitMQ, but BusRuntime:Transport (--transport) is {Quoted.Of(transport)}: one sidecar has one bus.");
        }

        if (context.RabbitMq is { } configured && (!TryNormalize(configured, out var configuredNormalized) || configuredNormalized != normalized))
        {
            throw where.Error("spec.metadata", "names another broker than BusRuntime:RabbitMq (--rabbitmq): one sidecar has one bus, on one broker; set the broker in one place.");
        }

        broker = (where, normalized);
        Settings["BusRuntime:Transport"] = "RabbitMq";
        Settings["BusRuntime:RabbitMq"] = address;
    }

    /// <summary>An AMQP address with its default port and vhost made explicit, to compare two.</summary>
    private static bool TryNormalize(string address, out string normalized)
    {
        normalized = "";
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps") || uri.Host.Length == 0)
        {
            return false;
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? (uri.Scheme == "amqps" ? 5671 : 5672) : uri.Port;
        var vhost = uri.AbsolutePath is "" or "/" ? "/" : uri.AbsolutePath;
        normalized = string.Create(CultureInfo.InvariantCulture, $"{uri.Scheme}://{uri.UserInfo}@{uri.Host.ToUpperInvariant()}:{port}{vhost}");
        return true;
    }

    /// <summary>Runs BusRuntime's own checks of a component on the translated one, naming the file and the component.</summary>
    private static void Check(ResourceLocation where, ComponentOptions component)
    {
        var result = new ComponentsOptionsValidator().Validate(null, new ComponentsOptions { Components = [component] });
        if (result.Failed)
        {
            const string Key = "BusRuntime:Components:0:";
            throw new InvalidOperationException(string.Join(
                " ",
                result.Failures.Select(failure => failure.StartsWith(Key, StringComparison.Ordinal) ? $"{where}: {failure[Key.Length..]}" : $"{where}: {failure}")));
        }
    }

    private static string Whole(ResourceLocation where, RawMetadata entry, int minimum, int maximum) =>
        int.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value.ToString(CultureInfo.InvariantCulture)
            : throw where.Error($"spec.metadata {Quoted.Of(entry.Name)}", $"(line {entry.Line}) {Quoted.Of(entry.Value)} must be a whole number between {minimum} and {maximum}.");

    /// <summary>Dapr's timeout: seconds, or a Go duration in whole seconds, minutes or hours ("20s", "1m").</summary>
    private static string Seconds(ResourceLocation where, RawMetadata entry)
    {
        var text = entry.Value.Trim();
        var unit = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsAsciiLetter(unit) && text.Length > 0 && char.IsAsciiLetter(text[^1]) ? text[..^1] : text;
        var factor = unit switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 0 };
        return factor > 0 && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value * (long)factor is > 0 and <= 3600
            ? (value * factor).ToString(CultureInfo.InvariantCulture)
            : throw where.Error($"spec.metadata {Quoted.Of(entry.Name)}", $"(line {entry.Line}) {Quoted.Of(entry.Value)} must be whole seconds from 1 to 3600, as a number or a duration such as 20s or 1m.");
    }

    private sealed record ParsedComponent(ResourceLocation Where, string Type, string Version, IReadOnlyList<YamlNode> Metadata, string? SecretStore, bool IgnoreErrors)
    {
        public bool IsSecretStore => ComponentTypes.KindOf(Type) == ComponentKind.SecretStores.Kind;
    }
}
