namespace BusRuntime.Core.Security;

/// <summary>
/// Whose messages, dead letters and workflows an Operations call sees and acts on: the sidecar's own app's, or,
/// with the operator token, every app's of the deployment.
/// </summary>
public sealed class OperationsView
{
    private OperationsView(string? appId) => AppId = appId;

    /// <summary>The view of a call that presented the operator token.</summary>
    public static OperationsView Deployment { get; } = new(null);

    /// <summary>The app whose view this is; null for the deployment's.</summary>
    public string? AppId { get; }

    public bool IsDeployment => AppId is null;

    /// <summary>The view of a call on behalf of <paramref name="appId"/> (the sidecar's own app).</summary>
    public static OperationsView Of(string appId)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        return new OperationsView(appId);
    }

    /// <summary>Whether what belongs to <paramref name="appId"/> is in view.</summary>
    public bool Includes(string? appId) => IsDeployment || (appId is not null && appId == AppId);
}
