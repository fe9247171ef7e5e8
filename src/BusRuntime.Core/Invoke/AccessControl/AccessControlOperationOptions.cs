namespace BusRuntime.Core.Invoke.AccessControl;

/// <summary>
/// An action for the methods that match <see cref="Name"/> (<c>BusRuntime:AccessControl:Policies:N:Operations:M</c>),
/// as Dapr's <c>operations</c> entry.
/// </summary>
public sealed class AccessControlOperationOptions
{
    /// <summary>
    /// A method path, a leading '/' added when missing: <c>*</c> stands for any characters within one segment, a segment
    /// <c>*</c> for any one segment (at the end: also none), a segment <c>**</c> for any number of segments.
    /// </summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// The HTTP verbs this action is for (<c>*</c>: any). Matched when the call names a verb; a call without one takes
    /// the action whatever this lists, as Dapr treats a call to a gRPC app.
    /// </summary>
    public List<string> HttpVerb { get; set; } = [];

    /// <summary>allow (the default) or deny.</summary>
    public string? Action { get; set; }
}
