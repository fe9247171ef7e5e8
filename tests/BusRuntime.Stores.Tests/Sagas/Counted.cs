namespace BusRuntime.Stores.Tests.Sagas;

/// <summary>Published by every increment that was saved, with the count it saved and the retry attempt that saved it.</summary>
public sealed record Counted(Guid CorrelationId, int Count, int Attempt);
