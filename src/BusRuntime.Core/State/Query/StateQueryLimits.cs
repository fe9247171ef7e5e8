namespace BusRuntime.Core.State.Query;

/// <summary>The bounds of a state query; <see cref="StateQueryParser"/> refuses a query beyond any of them, naming it.</summary>
public static class StateQueryLimits
{
    /// <summary>The most bytes of a query's JSON text, in UTF-8.</summary>
    public const int MaxQueryBytes = 64 * 1024;

    /// <summary>The most AND and OR a filter may nest.</summary>
    public const int MaxDepth = 8;

    /// <summary>The most filters (EQ, IN, AND, … each count) in a query.</summary>
    public const int MaxClauses = 100;

    /// <summary>The most values of one IN.</summary>
    public const int MaxInValues = 100;

    /// <summary>The most sort keys.</summary>
    public const int MaxSortKeys = 8;

    /// <summary>The most members a key may name (<c>a.b.c</c> names 3).</summary>
    public const int MaxKeySegments = 16;

    /// <summary>The most characters of a key.</summary>
    public const int MaxKeyChars = 256;

    /// <summary>The most results of one page, and the page's size when the query gives no limit.</summary>
    public const int MaxLimit = 1000;
}
