namespace BusRuntime.Core.State.Query;

/// <summary>The JSON kinds a query compares with.</summary>
public enum QueryValueKind
{
    String,
    Number,
    Boolean,
    Null,
}
