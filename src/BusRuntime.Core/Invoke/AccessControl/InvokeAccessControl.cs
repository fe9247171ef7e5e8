using BusRuntime.Core.Configuration;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Invoke.AccessControl;

/// <summary>
/// This sidecar's access control for calls to its app, as Dapr applies its <c>accessControl</c> (dapr/dapr pkg/acl):
/// the most specific rule that matches decides — an operation of the caller's policy (its verb, when the call names
/// one), else the policy's default action, else the global one. The caller is the app id its sidecar stamped on the
/// request; BusRuntime has no SPIFFE identities or namespaces.
/// </summary>
public sealed class InvokeAccessControl
{
    private readonly string appId;
    private readonly bool configured;
    private readonly bool allowByDefault;
    private readonly bool defaultIsImplicit;
    private readonly Dictionary<string, Policy> policies;

    public InvokeAccessControl(IOptions<AccessControlOptions> options, IOptions<RuntimeOptions> runtimeOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runtimeOptions);
        appId = runtimeOptions.Value.AppId;
        var settings = options.Value;
        configured = !string.IsNullOrEmpty(settings.DefaultAction) || !string.IsNullOrEmpty(settings.TrustDomain) || settings.Policies.Count > 0;
        defaultIsImplicit = string.IsNullOrEmpty(settings.DefaultAction);
        allowByDefault = defaultIsImplicit ? settings.Policies.Count == 0 : IsAllow(settings.DefaultAction);
        policies = new Dictionary<string, Policy>(StringComparer.Ordinal);
        for (var index = 0; index < settings.Policies.Count; index++)
        {
            var policy = settings.Policies[index];
            var key = $"{AccessControlOptions.SectionName}:Policies:{index}";

            // The validator refuses an app id listed twice; were one to get here, the first policy stands.
            policies.TryAdd(policy.AppId, new Policy(
                key,
                string.IsNullOrEmpty(policy.DefaultAction) ? null : IsAllow(policy.DefaultAction),
                [.. policy.Operations.Select((operation, position) => new Operation(
                    $"{key}:Operations:{position}",
                    new OperationPattern(operation.Name),
                    operation.HttpVerb.Select(verb => verb.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal),
                    string.IsNullOrEmpty(operation.Action) || IsAllow(operation.Action)))]));
        }
    }

    /// <summary>Whether configuration sets any access control; when not, every call is allowed.</summary>
    public bool IsConfigured => configured;

    /// <summary>
    /// Why app <paramref name="caller"/> may not call <paramref name="method"/> (cleaned, <see cref="InvokeMethod"/>) with
    /// <paramref name="httpVerb"/> (upper case, or empty when the call names none), or null when it may.
    /// </summary>
    public string? Refusal(string caller, string method, string httpVerb)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(httpVerb);
        if (!configured)
        {
            return null;
        }

        var shown = method.Length <= 64 ? method : $"{method[..64]}… ({method.Length} characters)";
        var call = httpVerb.Length == 0 ? $"method '{shown}'" : $"method '{shown}' with {httpVerb}";
        if (!policies.TryGetValue(caller, out var policy))
        {
            return allowByDefault
                ? null
                : defaultIsImplicit
                    ? $"app '{appId}' does not let app '{caller}' call {call}: its access control has policies and none for '{caller}', so other callers are denied ({AccessControlOptions.SectionName}:DefaultAction is unset)."
                    : $"app '{appId}' does not let app '{caller}' call {call}: its access control denies callers without a policy ({AccessControlOptions.SectionName}:DefaultAction deny).";
        }

        var allowed = policy.DefaultAllows ?? allowByDefault;
        var decidedBy = policy.DefaultAllows is null ? $"{AccessControlOptions.SectionName}:DefaultAction" : $"{policy.Key}:DefaultAction";

        // A call that names a verb is matched as Dapr matches calls to HTTP apps (case-insensitive, by verb); one that
        // names none as Dapr matches calls to gRPC apps (case-sensitive, the operation's action).
        var isHttp = httpVerb.Length > 0;
        var operation = policy.Operations.FirstOrDefault(candidate => candidate.Pattern.Matches(method, ignoreCase: isHttp));
        if (operation is not null && (!isHttp || operation.Verbs.Contains(httpVerb) || operation.Verbs.Contains("*")))
        {
            allowed = operation.Allows;
            decidedBy = $"{operation.Key} ('{operation.Pattern.Name}')";
        }

        return allowed ? null : $"app '{appId}' does not let app '{caller}' call {call}: denied by {decidedBy} of its access control.";
    }

    private static bool IsAllow(string? action) => string.Equals(action, AccessControlOptions.Allow, StringComparison.OrdinalIgnoreCase);

    private sealed record Policy(string Key, bool? DefaultAllows, IReadOnlyList<Operation> Operations);

    private sealed record Operation(string Key, OperationPattern Pattern, HashSet<string> Verbs, bool Allows);
}
