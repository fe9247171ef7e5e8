namespace BusRuntime.Core.Jobs;

/// <summary>
/// A job as an app declares it (Dapr's <c>Job</c>): when it fires, what it carries and what a failed delivery does. The
/// texts stay as the app wrote them, which is what a read of the job answers.
/// </summary>
public sealed record Job(
    string Name,
    string? Schedule,
    uint? Repeats,
    string? DueTime,
    string? Ttl,
    JobData? Data,
    JobFailurePolicy? FailurePolicy);
