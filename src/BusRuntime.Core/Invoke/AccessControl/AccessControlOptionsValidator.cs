using BusRuntime.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Invoke.AccessControl;

/// <summary>
/// Fails start-up on an access control the sidecar would not apply as written: a misspelt key (which binding would
/// ignore, leaving a rule out in silence), an action other than allow or deny, a policy without a valid app id or
/// naming one twice, a trust domain other than the deployment's, an operation no method can match, an unknown verb.
/// Every failure names its key.
/// </summary>
public sealed class AccessControlOptionsValidator(IConfiguration configuration) : IValidateOptions<AccessControlOptions>
{
    private const string Section = AccessControlOptions.SectionName;

    private static readonly string[] Actions = [AccessControlOptions.Allow, AccessControlOptions.Deny];
    private static readonly string[] TopKeys = [nameof(AccessControlOptions.DefaultAction), nameof(AccessControlOptions.TrustDomain), nameof(AccessControlOptions.Policies)];
    private static readonly string[] PolicyKeys =
        [nameof(AccessControlPolicyOptions.AppId), nameof(AccessControlPolicyOptions.DefaultAction), nameof(AccessControlPolicyOptions.TrustDomain), nameof(AccessControlPolicyOptions.Operations)];
    private static readonly string[] OperationKeys = [nameof(AccessControlOperationOptions.Name), nameof(AccessControlOperationOptions.HttpVerb), nameof(AccessControlOperationOptions.Action)];

    public ValidateOptionsResult Validate(string? name, AccessControlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        CheckKeys(configuration.GetSection(Section), failures);
        CheckAction(options.DefaultAction, $"{Section}:DefaultAction", failures);
        var trustDomain = string.IsNullOrEmpty(options.TrustDomain) ? AccessControlOptions.DefaultTrustDomain : options.TrustDomain;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < options.Policies.Count; index++)
        {
            var policy = options.Policies[index];
            var key = $"{Section}:Policies:{index}";
            if (!Names.IsValidAppId(policy.AppId))
            {
                failures.Add($"{key}:AppId '{policy.AppId}' is not an app id; a policy names the calling app, and app ids match {Names.AppIdPattern}.");
            }
            else if (!seen.TryAdd(policy.AppId, index))
            {
                failures.Add($"{key}:AppId '{policy.AppId}' already has the policy {Section}:Policies:{seen[policy.AppId]}; one policy per calling app.");
            }

            CheckAction(policy.DefaultAction, $"{key}:DefaultAction", failures);
            if (!string.IsNullOrEmpty(policy.TrustDomain) && policy.TrustDomain != trustDomain)
            {
                failures.Add(
                    $"{key}:TrustDomain '{policy.TrustDomain}' is not the deployment's trust domain '{trustDomain}' ({Section}:TrustDomain): BusRuntime does not read " +
                    "trust domains from certificates, every app on the broker is in that one, so this policy would never apply; remove it or the key.");
            }

            for (var position = 0; position < policy.Operations.Count; position++)
            {
                CheckOperation(policy.Operations[position], $"{key}:Operations:{position}", failures);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckOperation(AccessControlOperationOptions operation, string key, List<string> failures)
    {
        if (string.IsNullOrEmpty(operation.Name))
        {
            failures.Add($"{key}:Name is empty; name the method path the operation is for (wildcards * and ** allowed).");
        }
        else if (MatchesNoMethod(operation.Name) is { } reason)
        {
            failures.Add($"{key}:Name '{operation.Name}' matches no method: {reason}");
        }

        CheckAction(operation.Action, $"{key}:Action", failures);
        for (var index = 0; index < operation.HttpVerb.Count; index++)
        {
            var verb = operation.HttpVerb[index];
            if (verb != "*" && !InvokeValidation.HttpVerbs.Contains(verb, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{key}:HttpVerb:{index} '{verb}' is not one of: *, {string.Join(", ", InvokeValidation.HttpVerbs)}.");
            }
        }
    }

    /// <summary>Methods are matched once cleaned (<see cref="InvokeMethod"/>): a name a cleaned method can never be is a mistake.</summary>
    private static string? MatchesNoMethod(string name)
    {
        var path = name.StartsWith('/') ? name[1..] : name;
        if (InvokeMethod.Normalize(path.Replace('*', 'x'), out var problem) is null)
        {
            return problem;
        }

        return path.Split('/').Any(segment => segment is "" or "." or "..")
            ? "methods are matched once cleaned, without empty, '.' or '..' segments."
            : null;
    }

    private static void CheckAction(string? action, string key, List<string> failures)
    {
        if (!string.IsNullOrEmpty(action) && !Actions.Contains(action, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"{key} '{action}' is not one of: {string.Join(", ", Actions)}.");
        }
    }

    private static void CheckKeys(IConfigurationSection section, List<string> failures)
    {
        Unknown(section, TopKeys, "access control", failures);
        foreach (var policy in Items(section.GetSection(nameof(AccessControlOptions.Policies)), failures))
        {
            Unknown(policy, PolicyKeys, "access control policy", failures);
            foreach (var operation in Items(policy.GetSection(nameof(AccessControlPolicyOptions.Operations)), failures))
            {
                Unknown(operation, OperationKeys, "access control operation", failures);
                var verbs = operation.GetSection(nameof(AccessControlOperationOptions.HttpVerb));
                if (verbs.Value is not null)
                {
                    failures.Add($"{verbs.Path} is a list of verbs ({verbs.Path}:0, {verbs.Path}:1, …), not '{verbs.Value}'.");
                }

                _ = Items(verbs, failures);
            }
        }
    }

    /// <summary>The entries of a list section; a key that is not an index is reported.</summary>
    private static List<IConfigurationSection> Items(IConfigurationSection list, List<string> failures)
    {
        var items = new List<IConfigurationSection>();
        foreach (var item in list.GetChildren())
        {
            if (int.TryParse(item.Key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                items.Add(item);
            }
            else
            {
                failures.Add($"{item.Path}: {list.Key} is a list ({list.Path}:0, {list.Path}:1, …); '{item.Key}' is not an index.");
            }
        }

        return items;
    }

    private static void Unknown(IConfigurationSection section, string[] known, string what, List<string> failures)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                var hint = string.Equals(child.Key, "Namespace", StringComparison.OrdinalIgnoreCase)
                    ? " BusRuntime has no namespaces: the caller is the app id its sidecar stamps, whatever its namespace."
                    : "";
                failures.Add($"{child.Path} is not a setting of an {what}; its settings: {string.Join(", ", known)}.{hint}");
            }
        }
    }
}
