using BusRuntime.Grpc.AppConfiguration;
using BusRuntime.Grpc.Bindings;
using BusRuntime.Grpc.Files;
using BusRuntime.Grpc.Hello;
using BusRuntime.Grpc.Invoke;
using BusRuntime.Grpc.Locks;
using BusRuntime.Grpc.PubSub;
using BusRuntime.Grpc.Secrets;
using BusRuntime.Grpc.Sequences;
using BusRuntime.Grpc.State;
using BusRuntime.Protos.Layotto.Runtime.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace BusRuntime.Grpc.Layotto;

/// <summary>
/// spec.proto.runtime.v1.Runtime, so that apps written for Layotto (its SDKs, or code generated from its protos) run
/// unchanged: each call is served by its primitive's façade (<c>*Rpcs</c>), the same that serves busruntime.v1 and
/// Dapr's API.
/// </summary>
public sealed class LayottoService(
    HelloRpcs hello,
    InvokeRpcs invoke,
    ConfigurationRpcs configuration,
    LockRpcs locks,
    SequenceRpcs sequences,
    StateRpcs state,
    PubSubRpcs pubSub,
    FileRpcs files,
    BindingRpcs bindings,
    SecretRpcs secrets) : Protos.Layotto.Runtime.V1.Runtime.RuntimeBase
{
    public override Task<SayHelloResponse> SayHello(SayHelloRequest request, ServerCallContext context) =>
        hello.SayHello(request, context);

    public override Task<InvokeResponse> InvokeService(InvokeServiceRequest request, ServerCallContext context) =>
        invoke.InvokeService(request, context);

    public override Task<GetConfigurationResponse> GetConfiguration(GetConfigurationRequest request, ServerCallContext context) =>
        configuration.GetConfiguration(request, context);

    public override Task<Empty> SaveConfiguration(SaveConfigurationRequest request, ServerCallContext context) =>
        configuration.SaveConfiguration(request, context);

    public override Task<Empty> DeleteConfiguration(DeleteConfigurationRequest request, ServerCallContext context) =>
        configuration.DeleteConfiguration(request, context);

    public override Task SubscribeConfiguration(
        IAsyncStreamReader<SubscribeConfigurationRequest> requestStream, IServerStreamWriter<SubscribeConfigurationResponse> responseStream, ServerCallContext context) =>
        configuration.SubscribeConfiguration(requestStream, responseStream, context);

    public override Task<TryLockResponse> TryLock(TryLockRequest request, ServerCallContext context) =>
        locks.TryLock(request, context);

    public override Task<UnlockResponse> Unlock(UnlockRequest request, ServerCallContext context) =>
        locks.Unlock(request, context);

    public override Task<LockKeepAliveResponse> LockKeepAlive(LockKeepAliveRequest request, ServerCallContext context) =>
        locks.LockKeepAlive(request, context);

    public override Task<GetNextIdResponse> GetNextId(GetNextIdRequest request, ServerCallContext context) =>
        sequences.GetNextId(request, context);

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

    public override Task<Empty> ExecuteStateTransaction(ExecuteStateTransactionRequest request, ServerCallContext context) =>
        state.ExecuteStateTransaction(request, context);

    public override Task<Empty> PublishEvent(PublishEventRequest request, ServerCallContext context) =>
        pubSub.PublishEvent(request, context);

    public override Task SubscribeTopicEvents(
        IAsyncStreamReader<SubscribeTopicEventsRequest> requestStream, IServerStreamWriter<SubscribeTopicEventsResponse> responseStream, ServerCallContext context) =>
        pubSub.SubscribeTopicEvents(requestStream, responseStream, context);

    public override Task GetFile(GetFileRequest request, IServerStreamWriter<GetFileResponse> responseStream, ServerCallContext context) =>
        files.GetFile(request, responseStream, context);

    public override Task<Empty> PutFile(IAsyncStreamReader<PutFileRequest> requestStream, ServerCallContext context) =>
        files.PutFile(requestStream, context);

    public override Task<ListFileResp> ListFile(ListFileRequest request, ServerCallContext context) =>
        files.ListFile(request, context);

    public override Task<Empty> DelFile(DelFileRequest request, ServerCallContext context) =>
        files.DelFile(request, context);

    public override Task<GetFileMetaResponse> GetFileMeta(GetFileMetaRequest request, ServerCallContext context) =>
        files.GetFileMeta(request, context);

    public override Task<InvokeBindingResponse> InvokeBinding(InvokeBindingRequest request, ServerCallContext context) =>
        bindings.InvokeBinding(request, context);

    public override Task<GetSecretResponse> GetSecret(GetSecretRequest request, ServerCallContext context) =>
        secrets.GetSecret(request, context);

    public override Task<GetBulkSecretResponse> GetBulkSecret(GetBulkSecretRequest request, ServerCallContext context) =>
        secrets.GetBulkSecret(request, context);
}
