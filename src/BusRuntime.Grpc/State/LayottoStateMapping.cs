using BusRuntime.Core.State;
using BusRuntime.Protos.Layotto.Runtime.V1;
using Google.Protobuf;

namespace BusRuntime.Grpc.State;

/// <summary>Maps Layotto's state messages to the state primitive's requests and its answers back.</summary>
public static class LayottoStateMapping
{
    public static StateChange ToUpsert(StateItem item, IReadOnlyDictionary<string, string>? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        return StateChange.Upsert(item.Key, item.Value.Memory, item.Etag?.Value, ToConcurrency(item.Options), StateOperations.Merge(defaults, item.Metadata));
    }

    public static StateChange ToDelete(StateItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return ToDelete(item.Key, item.Etag, item.Options);
    }

    public static StateChange ToDelete(string key, Etag? etag, StateOptions? options) =>
        StateChange.Delete(key, etag?.Value, ToConcurrency(options));

    /// <summary>A transaction operation: "upsert" or "delete" (Layotto's names, as Dapr's); anything else is INVALID_ARGUMENT naming its index.</summary>
    public static StateChange ToChange(TransactionalStateOperation operation, int index, IReadOnlyDictionary<string, string> defaults)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return StateOperations.ToChange(operation.OperationType, operation.Request, index, "operationType", item => ToUpsert(item, defaults), ToDelete);
    }

    public static GetStateResponse ToResponse(StateValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var response = new GetStateResponse { Data = ByteString.CopyFrom(value.Data.Span), Etag = value.ETag };
        response.Metadata.AddAll(value.Metadata);
        return response;
    }

    public static BulkStateItem ToBulkItem(StateValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var item = new BulkStateItem { Key = value.Key, Data = ByteString.CopyFrom(value.Data.Span), Etag = value.ETag };
        item.Metadata.AddAll(value.Metadata);
        return item;
    }

    private static StateConcurrency ToConcurrency(StateOptions? options) =>
        options?.Concurrency == StateOptions.Types.StateConcurrency.ConcurrencyFirstWrite ? StateConcurrency.FirstWrite : StateConcurrency.LastWrite;
}
