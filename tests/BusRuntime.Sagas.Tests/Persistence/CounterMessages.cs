namespace BusRuntime.Sagas.Tests.Persistence;

public sealed record Start(Guid CorrelationId);

public sealed record Increment(Guid CorrelationId);

public sealed record Pause(Guid CorrelationId);

public sealed record Finish(Guid CorrelationId);

/// <summary>Published by every increment that was saved, with the count it saved and the retry attempt that saved it.</summary>
public sealed record Counted(Guid CorrelationId, int Count, int Attempt);
