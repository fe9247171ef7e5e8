namespace BusRuntime.Contracts;

/// <summary>The names of the bus entities that carry the ticks of an app's jobs to one of its sidecars.</summary>
/// <remarks>
/// The sidecar that claims a due job in the job store sends a <see cref="JobTriggered"/> request to the queue
/// <see cref="Queue"/>, which every replica of the app consumes: one of them delivers the tick to its app and answers
/// with a <see cref="JobTriggerOutcome"/>.
/// </remarks>
public static class JobNames
{
    /// <summary>The queue the replicas of an app take its job ticks from. With MassTransit: <c>new Uri($"queue:{JobNames.Queue("billing")}")</c>.</summary>
    public static string Queue(string appId) => $"busruntime.app.{appId}.jobs";
}
