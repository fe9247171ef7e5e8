namespace BusRuntime.Core.Errors;

/// <summary>The error codes of Dapr's HTTP API that BusRuntime answers with, as Dapr spells them.</summary>
public static class DaprErrorCodes
{
    public const string BadRequest = "ERR_BAD_REQUEST";
    public const string BodyRead = "ERR_BODY_READ";
    public const string MalformedRequest = "ERR_MALFORMED_REQUEST";
    public const string Internal = "ERR_INTERNAL";
    public const string HealthNotReady = "ERR_HEALTH_NOT_READY";
    public const string HealthAppIdNotMatch = "ERR_HEALTH_APPID_NOT_MATCH";
    public const string OutboundHealthNotReady = "ERR_OUTBOUND_HEALTH_NOT_READY";
    public const string StateStoreNotFound = "ERR_STATE_STORE_NOT_FOUND";
    public const string StateGet = "ERR_STATE_GET";
    public const string StateBulkGet = "ERR_STATE_BULK_GET";
    public const string StateSave = "ERR_STATE_SAVE";
    public const string StateDelete = "ERR_STATE_DELETE";
    public const string StateTransaction = "ERR_STATE_TRANSACTION";
    public const string StateQuery = "ERR_STATE_QUERY";
    public const string StateStoreNotSupported = "ERR_STATE_STORE_NOT_SUPPORTED";
    public const string NotSupportedStateOperation = "ERR_NOT_SUPPORTED_STATE_OPERATION";
    public const string PubSubNotFound = "ERR_PUBSUB_NOT_FOUND";
    public const string PubSubPublishMessage = "ERR_PUBSUB_PUBLISH_MESSAGE";
    public const string PubSubForbidden = "ERR_PUBSUB_FORBIDDEN";
    public const string PubSubEventsSerialization = "ERR_PUBSUB_EVENTS_SER";
    public const string DirectInvoke = "ERR_DIRECT_INVOKE";
    public const string SecretStoreNotFound = "ERR_SECRET_STORE_NOT_FOUND";
    public const string SecretGet = "ERR_SECRET_GET";
    public const string SecretPermissionDenied = "ERR_PERMISSION_DENIED";
    public const string ConfigurationStoreNotFound = "ERR_CONFIGURATION_STORE_NOT_FOUND";
    public const string ConfigurationGet = "ERR_CONFIGURATION_GET";
    public const string LockStoreNotFound = "ERR_LOCK_STORE_NOT_FOUND";
    public const string TryLock = "ERR_TRY_LOCK";
    public const string Unlock = "ERR_UNLOCK";
    public const string InvokeOutputBinding = "ERR_INVOKE_OUTPUT_BINDING";
    public const string SchedulerScheduleJob = "DAPR_SCHEDULER_SCHEDULE_JOB";
    public const string SchedulerGetJob = "DAPR_SCHEDULER_GET_JOB";
    public const string SchedulerDeleteJob = "DAPR_SCHEDULER_DELETE_JOB";
    public const string SchedulerJobName = "DAPR_SCHEDULER_JOB_NAME";
    public const string SchedulerJobNameEmpty = "DAPR_SCHEDULER_JOB_NAME_EMPTY";
    public const string SchedulerScheduleEmpty = "DAPR_SCHEDULER_SCHEDULE_EMPTY";
}
