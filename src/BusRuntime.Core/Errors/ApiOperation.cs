namespace BusRuntime.Core.Errors;

/// <summary>
/// The operations whose failures Dapr's HTTP API answers with an error code of their own (ERR_STATE_GET,
/// ERR_PUBSUB_PUBLISH_MESSAGE, …): a Dapr HTTP route names its operation and <see cref="ErrorTable"/> answers.
/// </summary>
public enum ApiOperation
{
    StateGet,
    StateBulkGet,
    StateSave,
    StateDelete,
    StateTransaction,
    StateQuery,

    /// <summary>A publish or a bulk publish.</summary>
    Publish,
    Invoke,
    Metadata,
    SecretGet,
    ConfigurationGet,
    TryLock,
    Unlock,
    InvokeBinding,
    JobSchedule,
    JobGet,
    JobDelete,
}
