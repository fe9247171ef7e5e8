namespace BusRuntime.Sagas.Tests.Persistence;

public sealed record Start(Guid CorrelationId);
