using BusRuntime.Core.Errors;
using BusRuntime.Core.State;

namespace BusRuntime.Grpc.State;

/// <summary>What busruntime.v1 and Dapr's state messages have in common, mapped once for both façades.</summary>
public static class StateOperations
{
    /// <summary>
    /// A transaction operation: "upsert" or "delete"; anything else, or a missing item, is INVALID_ARGUMENT
    /// naming <c>operations[index]</c> and <paramref name="typeField"/> (the API's own name for the field).
    /// </summary>
    public static StateChange ToChange<TItem>(string operationType, TItem? item, int index, string typeField, Func<TItem, StateChange> upsert, Func<TItem, StateChange> delete)
        where TItem : class
    {
        ArgumentNullException.ThrowIfNull(upsert);
        ArgumentNullException.ThrowIfNull(delete);
        if (item is null)
        {
            throw RuntimeException.InvalidArgument($"operations[{index}].request is missing; every operation needs a StateItem.");
        }

        return operationType switch
        {
            "upsert" => upsert(item),
            "delete" => delete(item),
            _ => throw RuntimeException.InvalidArgument($"operations[{index}].{typeField} {Quoted.Of(operationType)} is not one of: upsert, delete."),
        };
    }

    /// <summary>A request's default metadata overlaid with the item's own.</summary>
    public static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string>? defaults, IEnumerable<KeyValuePair<string, string>> own)
    {
        ArgumentNullException.ThrowIfNull(own);
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in defaults ?? new Dictionary<string, string>())
        {
            merged[key] = value;
        }

        foreach (var (key, value) in own)
        {
            merged[key] = value;
        }

        return merged;
    }
}
