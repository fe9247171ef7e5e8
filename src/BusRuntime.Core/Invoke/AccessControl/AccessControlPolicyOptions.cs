namespace BusRuntime.Core.Invoke.AccessControl;

/// <summary>What one calling app may do (<c>BusRuntime:AccessControl:Policies:N</c>), as Dapr's <c>policies</c> entry.</summary>
public sealed class AccessControlPolicyOptions
{
    /// <summary>The calling app's id.</summary>
    public string AppId { get; set; } = "";

    /// <summary>allow or deny: what this app gets for a method no operation matches. Unset: the global default action.</summary>
    public string? DefaultAction { get; set; }

    /// <summary>Accepted for Dapr's configurations; when set, it must be the deployment's trust domain.</summary>
    public string? TrustDomain { get; set; }

    /// <summary>Methods with an action of their own; the first that matches a call decides.</summary>
    public List<AccessControlOperationOptions> Operations { get; set; } = [];
}
