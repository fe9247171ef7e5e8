namespace BusRuntime.Sagas.Activities;

/// <summary>The step activity refused to run a step because the instance was terminated; Courier then compensates what completed.</summary>
public sealed class WorkflowTerminatedException : Exception
{
    public WorkflowTerminatedException()
    {
    }

    public WorkflowTerminatedException(string message)
        : base(message)
    {
    }

    public WorkflowTerminatedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
