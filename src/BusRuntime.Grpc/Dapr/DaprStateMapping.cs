using BusRuntime.Core.Errors;
using BusRuntime.Core.State;
using BusRuntime.Protos.Dapr.Common.V1;
using BusRuntime.Protos.Dapr.Runtime.V1;
using Google.Protobuf;

namespace BusRuntime.Grpc.Dapr;

/// <summary>Maps Dapr's state messages to the state primitive's requests and its answers back.</summary>
public static class DaprStateMapping
{
    public static StateChange ToUpsert(StateItem item, IReadOnlyDictionary<string, string>? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in defaults ?? new Dictionary<string, string>())
        {
            metadata[key] = value;
        }

        foreach (var (key, value) in item.Metadata)
        {
            metadata[key] = value;
        }

        return StateChange.Upsert(item.Key, item.Value.Memory, item.Etag?.Value, ToConcurrency(item.Options), metadata);
    }

    public static StateChange ToDelete(StateItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return ToDelete(item.Key, item.Etag, item.Options);
    }

    public static StateChange ToDelete(string key, Etag? etag, StateOptions? options) =>
        StateChange.Delete(key, etag?.Value, ToConcurrency(options));

    /// <summary>A transaction operation: "upsert" or "delete" (Dapr's names); anything else is INVALID_ARGUMENT naming its index.</summary>
    public static StateChange ToChange(TransactionalStateOperation operation, int index, IReadOnlyDictionary<string, string> defaults)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var request = operation.Request
            ?? throw RuntimeException.InvalidArgument($"operations[{index}].request is missing; every operation needs a StateItem.");
        return operation.OperationType switch
        {
            "upsert" => ToUpsert(request, defaults),
            "delete" => ToDelete(request),
            _ => throw RuntimeException.InvalidArgument(
                $"operations[{index}].operationType '{operation.OperationType}' is not one of: upsert, delete."),
        };
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
