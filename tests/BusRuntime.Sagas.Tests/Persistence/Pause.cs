namespace BusRuntime.Sagas.Tests.Persistence;

public sealed record Pause(Guid CorrelationId);
