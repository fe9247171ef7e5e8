using BusRuntime.Grpc.AppConfiguration;
using BusRuntime.Grpc.Bindings;
using BusRuntime.Grpc.Invoke;
using BusRuntime.Grpc.Jobs;
using BusRuntime.Grpc.Locks;
using BusRuntime.Grpc.Metadata;
using BusRuntime.Grpc.PubSub;
using BusRuntime.Grpc.Secrets;
using BusRuntime.Grpc.State;
using BusRuntime.Protos.Dapr.Runtime.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using DaprInvokeResponse = BusRuntime.Protos.Dapr.Common.V1.InvokeResponse;

namespace BusRuntime.Grpc.Dapr;

/// <summary>
/// dapr.proto.runtime.v1.Dapr, so that apps written with the Dapr SDKs run unchanged: each call is served by its
/// primitive's façade (<c>*Rpcs</c>), the same that serves busruntime.v1.Runtime. Alpha1 names answer as their stable ones.
/// </summary>
public sealed class DaprService(
    InvokeRpcs invoke,
    StateRpcs state,
    PubSubRpcs pubSub,
    SecretRpcs secrets,
    ConfigurationRpcs configuration,
    LockRpcs locks,
    BindingRpcs bindings,
    MetadataRpcs metadata,
    JobRpcs jobs) : Protos.Dapr.Runtime.V1.Dapr.DaprBase
{
    public override Task<DaprInvokeResponse> InvokeService(InvokeServiceRequest request, ServerCallContext context) =>
        invoke.InvokeService(request, context);

    public override Task<GetStateResponse> GetState(GetStateRequest request, ServerCallContext context) =>
        state.GetState(request, context);

    public override Task<GetBulkStateResponse> GetBulkState(GetBulkStateRequest request, ServerCallContext context) =>
        state.GetBulkState(request, context);

    public override Task<Empty> SaveState(SaveStateRequest request, ServerCallContext context) =>
        state.SaveState(request, context);

    public override Task<Empty> DeleteState(DeleteStateRequest request, ServerCallContext context) =>
        state.DeleteState(request, context);

    public override Task<Empty> DeleteBulkState(DeleteBulkStateRequest request, ServerCallContext context) =>
        state.DeleteBulkState(request, context);

    public override Task<QueryStateResponse> QueryStateAlpha1(QueryStateRequest request, ServerCallContext context) =>
        state.QueryStateAlpha1(request, context);

    public override Task<Empty> ExecuteStateTransaction(ExecuteStateTransactionRequest request, ServerCallContext context) =>
        state.ExecuteStateTransaction(request, context);

    public override Task<Empty> PublishEvent(PublishEventRequest request, ServerCallContext context) =>
        pubSub.PublishEvent(request, context);

    public override Task<BulkPublishResponse> BulkPublishEvent(BulkPublishRequest request, ServerCallContext context) =>
        pubSub.BulkPublishEvent(request, context);

    public override Task<BulkPublishResponse> BulkPublishEventAlpha1(BulkPublishRequest request, ServerCallContext context) =>
        pubSub.BulkPublishEvent(request, context);

    public override Task SubscribeTopicEventsAlpha1(
        IAsyncStreamReader<SubscribeTopicEventsRequestAlpha1> requestStream, IServerStreamWriter<SubscribeTopicEventsResponseAlpha1> responseStream, ServerCallContext context) =>
        pubSub.SubscribeTopicEvents(requestStream, responseStream, context);

    public override Task<GetSecretResponse> GetSecret(GetSecretRequest request, ServerCallContext context) =>
        secrets.GetSecret(request, context);

    public override Task<GetBulkSecretResponse> GetBulkSecret(GetBulkSecretRequest request, ServerCallContext context) =>
        secrets.GetBulkSecret(request, context);

    public override Task<GetConfigurationResponse> GetConfiguration(GetConfigurationRequest request, ServerCallContext context) =>
        configuration.GetConfiguration(request, context);

    public override Task<GetConfigurationResponse> GetConfigurationAlpha1(GetConfigurationRequest request, ServerCallContext context) =>
        configuration.GetConfiguration(request, context);

    public override Task SubscribeConfiguration(
        SubscribeConfigurationRequest request, IServerStreamWriter<SubscribeConfigurationResponse> responseStream, ServerCallContext context) =>
        configuration.SubscribeConfiguration(request, responseStream, context);

    public override Task SubscribeConfigurationAlpha1(
        SubscribeConfigurationRequest request, IServerStreamWriter<SubscribeConfigurationResponse> responseStream, ServerCallContext context) =>
        configuration.SubscribeConfiguration(request, responseStream, context);

    public override Task<UnsubscribeConfigurationResponse> UnsubscribeConfiguration(UnsubscribeConfigurationRequest request, ServerCallContext context) =>
        configuration.UnsubscribeConfiguration(request, context);

    public override Task<UnsubscribeConfigurationResponse> UnsubscribeConfigurationAlpha1(UnsubscribeConfigurationRequest request, ServerCallContext context) =>
        configuration.UnsubscribeConfiguration(request, context);

    public override Task<TryLockResponse> TryLockAlpha1(TryLockRequest request, ServerCallContext context) =>
        locks.TryLock(request, context);

    public override Task<UnlockResponse> UnlockAlpha1(UnlockRequest request, ServerCallContext context) =>
        locks.Unlock(request, context);

    public override Task<InvokeBindingResponse> InvokeBinding(InvokeBindingRequest request, ServerCallContext context) =>
        bindings.InvokeBinding(request, context);

    public override Task<GetMetadataResponse> GetMetadata(GetMetadataRequest request, ServerCallContext context) =>
        metadata.GetMetadata(request, context);

    public override Task<Empty> SetMetadata(SetMetadataRequest request, ServerCallContext context) =>
        metadata.SetMetadata(request, context);

    public override Task<Empty> Shutdown(ShutdownRequest request, ServerCallContext context) =>
        metadata.Shutdown(request, context);

    public override Task<ScheduleJobResponse> ScheduleJobAlpha1(ScheduleJobRequest request, ServerCallContext context) =>
        jobs.ScheduleJob(request, context);

    public override Task<ScheduleJobResponse> ScheduleJob(ScheduleJobRequest request, ServerCallContext context) =>
        jobs.ScheduleJob(request, context);

    public override Task<GetJobResponse> GetJobAlpha1(GetJobRequest request, ServerCallContext context) =>
        jobs.GetJob(request, context);

    public override Task<GetJobResponse> GetJob(GetJobRequest request, ServerCallContext context) =>
        jobs.GetJob(request, context);

    public override Task<DeleteJobResponse> DeleteJobAlpha1(DeleteJobRequest request, ServerCallContext context) =>
        jobs.DeleteJob(request, context);

    public override Task<DeleteJobResponse> DeleteJob(DeleteJobRequest request, ServerCallContext context) =>
        jobs.DeleteJob(request, context);

    public override Task<DeleteJobsByPrefixResponseAlpha1> DeleteJobsByPrefixAlpha1(DeleteJobsByPrefixRequestAlpha1 request, ServerCallContext context) =>
        jobs.DeleteJobsByPrefix(request, context);

    public override Task<DeleteJobsByPrefixResponse> DeleteJobsByPrefix(DeleteJobsByPrefixRequest request, ServerCallContext context) =>
        jobs.DeleteJobsByPrefix(request, context);

    public override Task<ListJobsResponseAlpha1> ListJobsAlpha1(ListJobsRequestAlpha1 request, ServerCallContext context) =>
        jobs.ListJobs(request, context);

    public override Task<ListJobsResponse> ListJobs(ListJobsRequest request, ServerCallContext context) =>
        jobs.ListJobs(request, context);
}
