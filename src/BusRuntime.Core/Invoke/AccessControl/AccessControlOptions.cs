namespace BusRuntime.Core.Invoke.AccessControl;

/// <summary>
/// Which apps may call this sidecar's app, and which of its methods (configuration section "BusRuntime:AccessControl"):
/// Dapr's Configuration <c>accessControl</c>, with its names and rules. Checked by this sidecar, the target's, against
/// the caller's app id before the app is called. Unset: every app may call every method.
/// </summary>
public sealed class AccessControlOptions
{
    public const string SectionName = "BusRuntime:AccessControl";

    public const string Allow = "allow";
    public const string Deny = "deny";

    /// <summary>The trust domain when configuration names none, as in Dapr.</summary>
    public const string DefaultTrustDomain = "public";

    /// <summary>
    /// allow or deny: what callers get that no policy names. Unset: deny when <see cref="Policies"/> has any, allow
    /// otherwise (Dapr's rule).
    /// </summary>
    public string? DefaultAction { get; set; }

    /// <summary>
    /// The deployment's trust domain ("public" when unset). BusRuntime does not read identities from certificates: every
    /// app on the broker is in this one domain, and a policy may only name this one.
    /// </summary>
    public string? TrustDomain { get; set; }

    /// <summary>One policy per calling app id.</summary>
    public List<AccessControlPolicyOptions> Policies { get; set; } = [];
}
