namespace BusRuntime.Contracts;

/// <summary>
/// The names of the bus entities that carry service invocation, so that a .NET service can call an
/// app, or answer for one, exactly as the sidecars do.
/// </summary>
/// <remarks>
/// Callers send an <see cref="InvokeRequest"/> to the durable fanout exchange <see cref="Exchange"/>.
/// Every replica of the app consumes the queue <see cref="Queue"/>, declared auto-delete and bound to
/// that exchange: replicas compete, and when the last one goes the queue goes too, so RabbitMQ returns
/// a request sent with the mandatory flag at once instead of keeping it for nobody.
/// </remarks>
public static class InvokeNames
{
    /// <summary>
    /// The exchange every request for an app is sent to.
    /// With MassTransit: <c>new Uri($"exchange:{InvokeNames.Exchange("billing")}")</c>.
    /// </summary>
    public static string Exchange(string appId) => $"busruntime.invoke.{appId}";

    /// <summary>The auto-delete queue the replicas of an app take its requests from.</summary>
    public static string Queue(string appId) => $"busruntime.app.{appId}.invoke";
}
