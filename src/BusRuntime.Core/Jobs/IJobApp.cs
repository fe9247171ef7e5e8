namespace BusRuntime.Core.Jobs;

/// <summary>The app as the due-job loop calls it: one tick of a job delivered (gRPC OnJobEvent, HTTP <c>POST /job/{name}</c>).</summary>
public interface IJobApp
{
    /// <summary>Delivers the tick; true when the app took it, false when it answered with a failure or did not answer in time.</summary>
    Task<bool> DeliverAsync(string name, JobData? data, CancellationToken cancellationToken);
}
