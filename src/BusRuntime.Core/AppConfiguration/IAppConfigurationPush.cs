namespace BusRuntime.Core.AppConfiguration;

/// <summary>
/// Configuration subscriptions whose changes the sidecar pushes to its app (Dapr's HTTP configuration subscribe):
/// served by the HTTP app channel, the only channel that calls an app for them.
/// </summary>
public interface IAppConfigurationPush
{
    /// <summary>
    /// Starts following the subscription and pushing each change to the app; returns the subscription's id. Throws
    /// FAILED_PRECONDITION when the app is not an HTTP app with a port, RESOURCE_EXHAUSTED beyond the sidecar's bound,
    /// and what <see cref="AppConfigurationManager.SubscribeAsync"/> throws for a bad store or key.
    /// </summary>
    Task<string> SubscribeAsync(ConfigurationSubscription subscription, CancellationToken cancellationToken);

    /// <summary>Stops the subscription <paramref name="id"/> of <paramref name="storeName"/>; false when there is none.</summary>
    bool Unsubscribe(string storeName, string id);
}
