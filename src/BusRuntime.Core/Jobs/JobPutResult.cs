namespace BusRuntime.Core.Jobs;

/// <summary>What a store did with a job to schedule.</summary>
public enum JobPutResult
{
    Stored,

    /// <summary>A job of that name exists and the call did not ask to overwrite it.</summary>
    AlreadyExists,

    /// <summary>The app has as many jobs as it may have.</summary>
    TooMany,
}
