namespace BusRuntime.Core.State.Query;

/// <summary>
/// A key of a query: the members to follow from the stored JSON value, written with dots (<c>person.org</c> is the
/// member <c>org</c> of the member <c>person</c>). Members are matched by exact name.
/// </summary>
public sealed record QueryPath(string Text, IReadOnlyList<string> Segments)
{
    public override string ToString() => Text;
}
