namespace BusRuntime.Sagas.Tests.Persistence;

public sealed record Finish(Guid CorrelationId);
