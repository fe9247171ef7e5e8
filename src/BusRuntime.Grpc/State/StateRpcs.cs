using BusRuntime.Core.State;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using DaprV1 = BusRuntime.Protos.Dapr.Runtime.V1;
using LayottoV1 = BusRuntime.Protos.Layotto.Runtime.V1;
using V1 = BusRuntime.Protos.V1;

namespace BusRuntime.Grpc.State;

/// <summary>State on every gRPC API: each call mapped onto <see cref="StateManager"/>.</summary>
public sealed class StateRpcs(StateManager state)
{
    private static readonly Empty Done = new();

    public async Task<V1.GetStateResponse> GetState(V1.GetStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var value = await state.GetAsync(request.StoreName, request.Key, context.CancellationToken).ConfigureAwait(false);
        return StateMapping.ToResponse(value);
    }

    public async Task<DaprV1.GetStateResponse> GetState(DaprV1.GetStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var value = await state.GetAsync(request.StoreName, request.Key, context.CancellationToken).ConfigureAwait(false);
        return DaprStateMapping.ToResponse(value);
    }

    public async Task<V1.GetBulkStateResponse> GetBulkState(V1.GetBulkStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var values = await state.GetBulkAsync(request.StoreName, request.Keys, context.CancellationToken).ConfigureAwait(false);
        var response = new V1.GetBulkStateResponse();
        response.Items.AddRange(values.Select(StateMapping.ToBulkItem));
        return response;
    }

    public async Task<DaprV1.GetBulkStateResponse> GetBulkState(DaprV1.GetBulkStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var values = await state.GetBulkAsync(request.StoreName, request.Keys, context.CancellationToken).ConfigureAwait(false);
        var response = new DaprV1.GetBulkStateResponse();
        response.Items.AddRange(values.Select(DaprStateMapping.ToBulkItem));
        return response;
    }

    public async Task<Empty> SaveState(V1.SaveStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await state.SaveAsync(request.StoreName, [.. request.States.Select(item => StateMapping.ToUpsert(item))], context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public async Task<Empty> SaveState(DaprV1.SaveStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await state.SaveAsync(request.StoreName, [.. request.States.Select(item => DaprStateMapping.ToUpsert(item))], context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public async Task<Empty> DeleteState(V1.DeleteStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await state.DeleteAsync(request.StoreName, StateMapping.ToDelete(request.Key, request.Etag, request.Options), context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public async Task<Empty> DeleteState(DaprV1.DeleteStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await state.DeleteAsync(request.StoreName, DaprStateMapping.ToDelete(request.Key, request.Etag, request.Options), context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public async Task<Empty> DeleteBulkState(V1.DeleteBulkStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await state.DeleteBulkAsync(request.StoreName, [.. request.States.Select(StateMapping.ToDelete)], context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public async Task<Empty> DeleteBulkState(DaprV1.DeleteBulkStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await state.DeleteBulkAsync(request.StoreName, [.. request.States.Select(DaprStateMapping.ToDelete)], context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public async Task<V1.QueryStateResponse> QueryState(V1.QueryStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var result = await state.QueryAsync(request.StoreName, request.Query, context.CancellationToken).ConfigureAwait(false);
        return StateMapping.ToResponse(result);
    }

    public async Task<DaprV1.QueryStateResponse> QueryStateAlpha1(DaprV1.QueryStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var result = await state.QueryAsync(request.StoreName, request.Query, context.CancellationToken).ConfigureAwait(false);
        return DaprStateMapping.ToResponse(result);
    }

    public async Task<Empty> ExecuteStateTransaction(V1.ExecuteStateTransactionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var defaults = new Dictionary<string, string>(request.Metadata, StringComparer.Ordinal);
        var operations = request.Operations.Select((operation, index) => StateMapping.ToChange(operation, index, defaults)).ToList();
        await state.ExecuteTransactionAsync(request.StoreName, operations, context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public async Task<Empty> ExecuteStateTransaction(DaprV1.ExecuteStateTransactionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var defaults = new Dictionary<string, string>(request.Metadata, StringComparer.Ordinal);
        var operations = request.Operations.Select((operation, index) => DaprStateMapping.ToChange(operation, index, defaults)).ToList();
        await state.ExecuteTransactionAsync(request.StoreName, operations, context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public async Task<LayottoV1.GetStateResponse> GetState(LayottoV1.GetStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var value = await state.GetAsync(request.StoreName, request.Key, context.CancellationToken).ConfigureAwait(false);
        return LayottoStateMapping.ToResponse(value);
    }

    public async Task<LayottoV1.GetBulkStateResponse> GetBulkState(LayottoV1.GetBulkStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var values = await state.GetBulkAsync(request.StoreName, request.Keys, context.CancellationToken).ConfigureAwait(false);
        var response = new LayottoV1.GetBulkStateResponse();
        response.Items.AddRange(values.Select(LayottoStateMapping.ToBulkItem));
        return response;
    }

    public async Task<Empty> SaveState(LayottoV1.SaveStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await state.SaveAsync(request.StoreName, [.. request.States.Select(item => LayottoStateMapping.ToUpsert(item))], context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public async Task<Empty> DeleteState(LayottoV1.DeleteStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await state.DeleteAsync(request.StoreName, LayottoStateMapping.ToDelete(request.Key, request.Etag, request.Options), context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public async Task<Empty> DeleteBulkState(LayottoV1.DeleteBulkStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await state.DeleteBulkAsync(request.StoreName, [.. request.States.Select(LayottoStateMapping.ToDelete)], context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public async Task<Empty> ExecuteStateTransaction(LayottoV1.ExecuteStateTransactionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var defaults = new Dictionary<string, string>(request.Metadata, StringComparer.Ordinal);
        var operations = request.Operations.Select((operation, index) => LayottoStateMapping.ToChange(operation, index, defaults)).ToList();
        await state.ExecuteTransactionAsync(request.StoreName, operations, context.CancellationToken).ConfigureAwait(false);
        return Done;
    }
}
