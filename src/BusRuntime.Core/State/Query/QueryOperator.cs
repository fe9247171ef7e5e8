namespace BusRuntime.Core.State.Query;

/// <summary>The operators of Dapr's state query language, as a filter names them (EQ, NEQ, …).</summary>
public enum QueryOperator
{
    /// <summary>The value at the key equals the given one.</summary>
    Eq,

    /// <summary>The value at the key exists and does not equal the given one.</summary>
    Neq,

    /// <summary>The value at the key is a number greater than the given one.</summary>
    Gt,
    Gte,
    Lt,
    Lte,

    /// <summary>The value at the key equals one of the given ones.</summary>
    In,

    /// <summary>Every one of the filters matches.</summary>
    And,

    /// <summary>At least one of the filters matches.</summary>
    Or,
}
