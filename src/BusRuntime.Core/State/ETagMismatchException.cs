namespace BusRuntime.Core.State;

/// <summary>Thrown by a store when the precondition of the write at <see cref="WriteIndex"/> does not hold; nothing was applied.</summary>
public sealed class ETagMismatchException(int writeIndex)
    : Exception($"the precondition of write {writeIndex} does not hold")
{
    public int WriteIndex { get; } = writeIndex;
}
