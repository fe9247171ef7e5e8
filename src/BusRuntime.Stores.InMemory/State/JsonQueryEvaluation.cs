using System.Text;
using System.Text.Json;
using BusRuntime.Core.State.Query;

namespace BusRuntime.Stores.InMemory.State;

/// <summary>A <see cref="StateQuery"/> evaluated over JSON values in memory, as <see cref="StateQuery"/> defines it.</summary>
internal static class JsonQueryEvaluation
{
    /// <summary>The value as JSON, or null when it is not JSON.</summary>
    public static JsonElement? Parse(ReadOnlyMemory<byte> value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static bool Matches(JsonElement root, QueryFilter? filter) => filter switch
    {
        null => true,
        LogicalFilter { Operator: QueryOperator.And } and => and.Filters.All(each => Matches(root, each)),
        LogicalFilter or => or.Filters.Any(each => Matches(root, each)),
        InFilter @in => Find(root, @in.Key) is { } found && @in.Values.Any(value => Equal(found, value.Json)),
        ComparisonFilter comparison => Find(root, comparison.Key) is { } found && Compares(found, comparison),
        _ => false,
    };

    /// <summary>The value at <paramref name="path"/>, or null when the value lacks it.</summary>
    public static JsonElement? Find(JsonElement root, QueryPath path)
    {
        var current = root;
        foreach (var segment in path.Segments)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>Orders two values of a sort key: absent last; otherwise as PostgreSQL orders jsonb.</summary>
    public static int Compare(JsonElement? left, JsonElement? right)
    {
        if (left is not { } a || right is not { } b)
        {
            return (left is null ? 1 : 0) - (right is null ? 1 : 0);
        }

        var byKind = Rank(a).CompareTo(Rank(b));
        if (byKind != 0)
        {
            return byKind;
        }

        return a.ValueKind switch
        {
            JsonValueKind.Number => CompareNumbers(a, b),
            JsonValueKind.String => Encoding.UTF8.GetBytes(a.GetString()!).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b.GetString()!)),
            _ => 0,
        };
    }

    private static bool Compares(JsonElement found, ComparisonFilter comparison) => comparison.Operator switch
    {
        QueryOperator.Eq => Equal(found, comparison.Value.Json),
        QueryOperator.Neq => !Equal(found, comparison.Value.Json),
        _ when found.ValueKind != JsonValueKind.Number => false,
        QueryOperator.Gt => CompareNumbers(found, comparison.Value.Json) > 0,
        QueryOperator.Gte => CompareNumbers(found, comparison.Value.Json) >= 0,
        QueryOperator.Lt => CompareNumbers(found, comparison.Value.Json) < 0,
        QueryOperator.Lte => CompareNumbers(found, comparison.Value.Json) <= 0,
        _ => false,
    };

    private static bool Equal(JsonElement found, JsonElement value) => found.ValueKind == value.ValueKind && found.ValueKind switch
    {
        JsonValueKind.String => found.ValueEquals(value.GetString()),
        JsonValueKind.Number => CompareNumbers(found, value) == 0,
        JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => true,
        _ => false,
    };

    // Exactly as decimals where both fit one (1 and 1.0 are equal), else as doubles.
    private static int CompareNumbers(JsonElement left, JsonElement right) =>
        left.TryGetDecimal(out var a) && right.TryGetDecimal(out var b) ? a.CompareTo(b) : left.GetDouble().CompareTo(right.GetDouble());

    // PostgreSQL's order of jsonb: null < string < number < boolean (false < true) < array < object.
    private static int Rank(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => 0,
        JsonValueKind.String => 1,
        JsonValueKind.Number => 2,
        JsonValueKind.False => 3,
        JsonValueKind.True => 4,
        JsonValueKind.Array => 5,
        _ => 6,
    };
}
