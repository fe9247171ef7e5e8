namespace BusRuntime.Sagas.Tests.Persistence;

public sealed record Increment(Guid CorrelationId);
